import { once } from 'node:events';
import { parse, type CsvError, type Info } from 'csv-parse';
import { ParleyError, type Delimiter } from '../../contracts';
import { detectDelimiter } from './delimiter';
import { StreamingTextDecoder, type FileEncoding } from './text-decoding';

/** Text read before choosing the delimiter. */
const HEAD_CHARS = 64 * 1024;
/**
 * Largest record the parser holds. Far above any real row (a 10 MB note is fine) but bounded, so a
 * stray quote cannot pull a whole large file into one field.
 */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;

export type CsvItem = { line: number; fields: string[] } | { line: number; error: string };

export interface CsvSource {
  encoding: FileEncoding;
  delimiter: Delimiter;
  /** The first text of the file, for hints (e.g. "did you mean ';'?"). */
  head: string;
  /** Records with the line they start on, and per-record parse errors; throws only when reading cannot go on. */
  items(): AsyncGenerator<CsvItem>;
}

/** Streams CSV/TSV bytes into records. Reads only as far as needed to detect encoding and delimiter. */
export async function openCsv(source: AsyncIterable<Uint8Array>, options: { delimiter?: Delimiter | undefined }): Promise<CsvSource> {
  const iterator = source[Symbol.asyncIterator]();
  const decoder = new StreamingTextDecoder();
  let head = '';
  let exhausted = false;
  while (head.length < HEAD_CHARS && !exhausted) {
    const next = await iterator.next();
    if (next.done) {
      head += decoder.end();
      exhausted = true;
    } else {
      head += decoder.push(next.value);
    }
  }
  const delimiter = options.delimiter ?? detectDelimiter(head);

  async function* texts(): AsyncGenerator<string> {
    if (head) yield head;
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const text = decoder.push(next.value);
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }

  return {
    encoding: decoder.encoding ?? 'utf-8',
    delimiter,
    head,
    items: () => records(texts(), delimiter),
  };
}

async function* records(texts: AsyncGenerator<string>, delimiter: Delimiter): AsyncGenerator<CsvItem> {
  const skipped: CsvItem[] = [];
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    info: true,
    on_skip: (error: CsvError | undefined) => {
      if (error) skipped.push({ line: lineOf(error), error: describe(error) });
    },
  });
  const feeding = (async () => {
    try {
      for await (const text of texts) {
        if (!parser.write(text)) await once(parser, 'drain');
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      // info.lines is the line the record ends on; step back over newlines inside quoted fields.
      let inner = 0;
      for (const field of item.record) if (field.includes('\n')) inner += field.split('\n').length - 1;
      const line = item.info.lines - inner;
      // The parser reports skipped records as it reads, ahead of the records still queued: keep file order.
      while (skipped.length > 0 && skipped[0]!.line < line) yield skipped.shift()!;
      yield { line, fields: item.record };
    }
    while (skipped.length > 0) yield skipped.shift()!;
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    throw new ParleyError('invalid_payload', describe(error as CsvError));
  } finally {
    parser.destroy();
    await feeding;
  }
}

function lineOf(error: CsvError): number {
  const lines = (error as unknown as { lines?: number }).lines;
  return typeof lines === 'number' ? lines : 0;
}

function describe(error: CsvError | Error): string {
  const code = (error as CsvError).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A quoted field is never closed (a " without its closing ")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'Text after a closing quote; put the whole field in quotes and double any " inside it';
    case 'CSV_MAX_RECORD_SIZE':
      return `A row is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters (an unbalanced quote?)`;
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return 'The row has a different number of columns than the header';
    default:
      return error.message.split('\n')[0]!.slice(0, 200);
  }
}
