import { parse } from 'csv-parse/sync';
import { ParleyError, type Delimiter, type ImportPreview } from '../../contracts';
import { normaliseHeaders, suggestMapping } from './column-mapping';
import { detectDelimiter } from './delimiter';
import { StreamingTextDecoder } from './text-decoding';

const PREVIEW_ROWS = 20;

/** What the import dialog shows before anything is written: encoding, delimiter, header, first rows, a mapping. */
export function previewImport(sample: Uint8Array, options: { complete: boolean; delimiter?: Delimiter | undefined }): ImportPreview {
  const decoder = new StreamingTextDecoder();
  let text = decoder.push(sample);
  text += decoder.end();
  if (!options.complete) {
    // The sample may stop mid-line; only whole lines are shown.
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline > 0) text = text.slice(0, lastNewline + 1);
  }
  if (!text.trim()) throw new ParleyError('invalid_payload', 'The file is empty: there is no header row and no contacts.');
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    to: PREVIEW_ROWS + 1,
  }) as string[][];
  const [header = [], ...rows] = records;
  const headers = normaliseHeaders(header);
  return {
    encoding: decoder.encoding ?? 'utf-8',
    delimiter,
    headers,
    // Cells are cut for display; the import itself reads them whole.
    rows: rows.map((row) => row.map((cell) => (cell.length > 200 ? `${cell.slice(0, 200)}…` : cell))),
    suggestedMapping: suggestMapping(headers),
  };
}
