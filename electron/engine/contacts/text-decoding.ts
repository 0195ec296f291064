import { TextDecoder } from 'node:util';
import { ParleyError } from '../../contracts';

export type FileEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes looked at before deciding the encoding (BOM, NUL pattern, UTF-8 validity). */
const SNIFF_BYTES = 4_096;

/**
 * Streaming bytes -> text for spreadsheet exports: UTF-8 (with or without BOM), UTF-16 LE/BE (Excel's
 * "Unicode text", with or without BOM) and, when the bytes are not UTF-8, Windows-1252 (Excel's
 * legacy CSV). The BOM never reaches the parser. Binary files are refused with a clear error.
 */
export class StreamingTextDecoder {
  private decoder: TextDecoder | undefined;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  encoding: FileEncoding | undefined;

  /** Text decoded so far from `bytes` (may be '' while the first bytes are being sniffed). */
  push(bytes: Uint8Array): string {
    if (this.decoder) return this.decoder.decode(bytes, { stream: true });
    this.head.push(bytes);
    this.headBytes += bytes.byteLength;
    if (this.headBytes < SNIFF_BYTES) return '';
    return this.start(false);
  }

  /** The rest of the text at end of input. */
  end(): string {
    const text = this.decoder ? '' : this.start(true);
    return text + this.decoder!.decode();
  }

  private start(atEnd: boolean): string {
    const head = concat(this.head, this.headBytes);
    this.head = [];
    this.encoding = sniffEncoding(head, atEnd);
    // TextDecoder drops a leading BOM by default (ignoreBOM: false).
    this.decoder = new TextDecoder(this.encoding);
    return this.decoder.decode(head, { stream: true });
  }
}

export function sniffEncoding(head: Uint8Array, complete: boolean): FileEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  refuseBinary(head);
  // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
  const sample = head.subarray(0, Math.min(head.length, 1_024));
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenNuls++;
      else oddNuls++;
    }
  }
  const pairs = sample.length / 2;
  if (pairs >= 2 && oddNuls > pairs * 0.3 && evenNuls < pairs * 0.05) return 'utf-16le';
  if (pairs >= 2 && evenNuls > pairs * 0.3 && oddNuls < pairs * 0.05) return 'utf-16be';
  if (evenNuls + oddNuls > 0) {
    throw new ParleyError('invalid_payload', 'This is not a text file (it contains NUL bytes). Save the list as CSV or TSV.');
  }
  try {
    // stream: true forgives a multi-byte character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function refuseBinary(head: Uint8Array): void {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new ParleyError('invalid_payload', 'This looks like an Excel workbook (.xlsx). Save it as CSV (UTF-8) and import that.');
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new ParleyError('invalid_payload', 'This looks like an old Excel workbook (.xls). Save it as CSV (UTF-8) and import that.');
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
