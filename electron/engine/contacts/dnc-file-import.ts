import { MAX_LISTED_REJECTIONS, type ImportOptions, type ImportReport } from '../../contracts';
import { DncWriter } from './contact-writer';
import { emptyImportReport, importCsv, type ImportDeps } from './csv-import';
import { normalisePhone } from './phone';

/** Numbers written per transaction; the event loop gets a turn between transactions. */
const WRITE_ROWS = 5_000;
/** A line longer than this is no phone number; the rest of it is skipped without being held. */
const MAX_LINE_CHARS = 200;
/** Bytes looked at to tell a plain number list from a CSV file with a header. */
const SNIFF_BYTES = 4 * 1024;

/** Regions whose national lists are 10-digit NANP numbers (the US registry's download format). */
const NANP_REGIONS = new Set(['US', 'CA', 'PR', 'GU', 'VI', 'AS', 'MP']);
const NANP_NUMBER = /^[2-9]\d{2}[2-9]\d{6}$/;
/** A line that is only a number: digits and the punctuation people write them with. */
const NUMBER_LINE = /^[\s"'+\d().,-]*\d[\s"'+\d().,-]*$/;

export type DncLineNumber = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * One line of a do-not-call list file -> E.164. NANP regions take the registry's form (10 digits,
 * or area code and number in two fields, a leading 1 allowed) without libphonenumber, so a
 * million-line file stays fast; anything else goes through the full parser.
 */
export function dncListNumber(text: string, defaultRegion: string): DncLineNumber {
  const trimmed = text.trim().replace(/^"|"$/g, '');
  if (NANP_REGIONS.has(defaultRegion) && !trimmed.startsWith('+')) {
    let digits = trimmed.replace(/[\s().,\-"']/g, '');
    if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
    if (NANP_NUMBER.test(digits)) return { ok: true, e164: `+1${digits}` };
    return { ok: false, reason: `${JSON.stringify(trimmed.slice(0, 40))} is not a 10-digit ${defaultRegion} number` };
  }
  const parsed = normalisePhone(trimmed, defaultRegion);
  return parsed.ok ? { ok: true, e164: parsed.e164 } : { ok: false, reason: parsed.reason };
}

/**
 * Imports a do-not-call list file: a plain list of numbers, one per line (national and state
 * registries' area-code files), or a CSV file with a phone column (handed to `importCsv`). Read as
 * a stream and written in batches: memory stays flat whatever the file's size. Repeats within the
 * file and numbers already listed are counted together as `duplicates` (a million-number file is
 * never held in memory to tell them apart).
 */
export async function importDncFile(source: AsyncIterable<Uint8Array>, options: ImportOptions, deps: ImportDeps): Promise<ImportReport> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      head.push(next.value);
      headBytes += next.value.byteLength;
    }
  }
  const firstLine = firstNonEmptyLine(Buffer.concat(head).toString('latin1'));
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      yield* head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
  if (firstLine !== undefined && !NUMBER_LINE.test(firstLine)) return importCsv(rest, { ...options, target: 'dnc' }, deps);
  return importNumberLines(rest, options, deps);
}

async function importNumberLines(source: AsyncIterable<Uint8Array>, options: ImportOptions, deps: ImportDeps): Promise<ImportReport> {
  const started = performance.now();
  const report = emptyImportReport(options, { target: 'dnc', encoding: 'utf-8', delimiter: ',' });
  const writer = new DncWriter(deps.sqlite, deps.clock, { fileName: deps.fileName, listName: options.listName, checkOnly: options.checkOnly });
  let batch: string[] = [];
  const flush = async () => {
    const { added, already } = writer.write(batch);
    report.imported += added;
    report.duplicates += already;
    batch = [];
    deps.onProgress?.({ rows: report.rows });
    await new Promise((resolve) => setImmediate(resolve));
  };
  let lineNo = 0;
  const reject = (reason: string) => {
    report.rows++;
    report.rejected++;
    if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push({ line: lineNo, reason });
  };
  const take = (line: string) => {
    lineNo++;
    if (!line.trim()) return;
    const number = dncListNumber(line, options.defaultRegion);
    if (!number.ok) return reject(number.reason);
    report.rows++;
    batch.push(number.e164);
  };
  const takeOverlong = (length: number) => {
    lineNo++;
    reject(`The line is ${length.toLocaleString('en')} characters long; a number is at most ${MAX_LINE_CHARS}`);
  };

  const decoder = new TextDecoder('utf-8');
  let carry = '';
  /** Length of an overlong line read so far (its text is not kept); 0 when the line is short. */
  let overlong = 0;
  const endLine = (piece: string) => {
    if (overlong > 0 || carry.length + piece.length > MAX_LINE_CHARS) takeOverlong(overlong + carry.length + piece.length);
    else take(carry + piece);
    carry = '';
    overlong = 0;
  };
  for await (const chunk of source) {
    const text = decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
      endLine(text.slice(from, newline));
      from = newline + 1;
      if (batch.length >= WRITE_ROWS) await flush();
    }
    const tail = text.slice(from);
    if (overlong > 0 || carry.length + tail.length > MAX_LINE_CHARS) {
      overlong += carry.length + tail.length;
      carry = '';
    } else carry += tail;
  }
  const last = decoder.decode();
  if (overlong > 0 || carry || last) endLine(last);
  await flush();
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

function firstNonEmptyLine(text: string): string | undefined {
  for (const line of text.split('\n')) if (line.trim()) return line.trim();
  return undefined;
}
