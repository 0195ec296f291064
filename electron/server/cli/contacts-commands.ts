import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ColumnMapping, Delimiter, IMPORT_CHUNK_BYTES, ImportOptions, MatchChoice, Region, type ImportReport, ParleyError } from '../../contracts';
import { call, withEngine } from './engine-helper';
import { FileProgress } from './progress-bar';

const MAPPABLE = ['name', 'phone', 'email', 'company', 'timezone', 'tags', 'custom', 'consentKind', 'consentSource', 'consentDate', 'consentEvidence'] as const;

interface ImportFlags {
  data?: string;
  json?: boolean;
  region: string;
  delimiter?: Delimiter;
  map: string[];
  tag: string[];
  dnc?: boolean;
  list?: string;
  onMatch: string;
  check?: boolean;
}

/** `parley import contacts FILE` and `parley export contacts FILE`: the contact list from a terminal. */
export function registerContactsCommands(program: Command): void {
  const importCommand = program.command('import').description('import data into Parley');
  importCommand
    .command('contacts')
    .description('import contacts (or do-not-call numbers with --dnc) from a CSV or TSV file')
    .argument('<file>', 'CSV or TSV file (UTF-8, UTF-16 or Windows-1252; delimiter detected)')
    .option('--data <dir>', 'data folder (database, logs, models)')
    .option('--json', 'print the import report as one JSON object')
    .option('--region <code>', 'country for numbers written without a country code', 'US')
    .option('--delimiter <char>', 'column delimiter: , ; | or tab (default: detected)', parseDelimiter)
    .option('--map <field=column>', `map a column to a field (${MAPPABLE.join(', ')}); repeat as needed`, collect, [])
    .option('--tag <tag>', 'add this tag to every imported contact; repeat as needed', collect, [])
    .option('--dnc', 'add the numbers to the do-not-call list instead of importing contacts (a CSV file, or one number per line)')
    .option('--list <name>', 'with --dnc: which list the file is (e.g. "US National DNC Registry"), kept in each number\'s history')
    .option('--on-match <choice>', 'a row whose number is already a contact: skip, fill-empty or overwrite', 'fill-empty')
    .option('--check', 'read the whole file and report what an import would do; write nothing')
    .action(async (file: string, flags: ImportFlags) => {
      const path = resolve(file);
      if (!existsSync(path) || !statSync(path).isFile()) throw new ParleyError('not_found', `No such file: ${path}`);
      const options = ImportOptions.parse({
        target: flags.dnc ? 'dnc' : 'contacts',
        defaultRegion: parseRegion(flags.region),
        delimiter: flags.delimiter,
        mapping: flags.map.length > 0 ? parseMapping(flags.map) : undefined,
        tags: flags.tag,
        listName: flags.list,
        onMatch: parseMatchChoice(flags.onMatch),
        checkOnly: flags.check ?? false,
      });
      await withEngine(flags.data, async (engine) => {
        // The same contract commands the console's upload uses, one chunk at a time (never the whole file
        // in memory); on a terminal, a progress line on stderr (big lists take minutes).
        const progress = new FileProgress(flags.json ? { write: () => undefined } : process.stderr, basename(path), statSync(path).size);
        const { importId } = await call(engine, 'contacts.importBegin', { fileName: basename(path), options });
        let report: ImportReport;
        try {
          for await (const chunk of createReadStream(path, { highWaterMark: IMPORT_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
            const done = await call(engine, 'contacts.importChunk', { importId, data: chunk.toString('base64') });
            progress.update(done.bytes, `${done.rows.toLocaleString('en')} rows`);
          }
          report = await call(engine, 'contacts.importFinish', { importId });
        } catch (error) {
          await call(engine, 'contacts.importCancel', { importId }).catch(() => undefined);
          throw error;
        } finally {
          progress.done();
        }
        if (flags.json) console.log(JSON.stringify(report));
        else printReport(report);
      });
    });

  const exportCommand = program.command('export').description('export data from Parley');
  exportCommand
    .command('contacts')
    .description('write contacts to a CSV file (formula-like cells are neutralised for spreadsheets)')
    .argument('<file>', 'CSV file to write')
    .option('--data <dir>', 'data folder (database, logs, models)')
    .option('--segment <id>', 'only the contacts of this segment')
    .option('--json', 'print one JSON object ({ file, rows }) instead of text')
    .action(async (file: string, flags: { data?: string; segment?: string; json?: boolean }) => {
      await withEngine(flags.data, async (engine) => {
        // Page by page through the contract (the console's export uses the same pages), streamed to the file.
        const out = createWriteStream(resolve(file), { encoding: 'utf8' });
        let rows = 0;
        try {
          let after = 0;
          let customFields: string[] | undefined;
          for (;;) {
            const page = await call(engine, 'contacts.exportPage', { segmentId: flags.segment, after, limit: 5_000, customFields });
            customFields = page.customFields;
            if (page.csv && !out.write(page.csv)) await once(out, 'drain');
            rows += page.rows;
            if (page.next === null) break;
            after = page.next;
          }
        } finally {
          out.end();
          await once(out, 'close');
        }
        if (flags.json) console.log(JSON.stringify({ file: resolve(file), rows }));
        else console.log(`Exported ${rows.toLocaleString('en')} contact${rows === 1 ? '' : 's'} to ${resolve(file)}`);
      });
    });
}

function printReport(report: ImportReport): void {
  const what = report.target === 'dnc' ? 'do-not-call numbers' : 'contacts';
  console.log(
    `Read ${report.rows.toLocaleString('en')} rows (${report.encoding}, delimiter ${report.delimiter === '\t' ? 'tab' : JSON.stringify(report.delimiter)}) in ${(report.durationMs / 1000).toFixed(1)} s.`,
  );
  console.log(
    `${report.checkOnly ? 'Would import' : 'Imported'} ${report.imported.toLocaleString('en')} new ${what}, ${report.checkOnly ? 'update' : 'updated'} ${report.updated.toLocaleString('en')}, ` +
      `${report.duplicates.toLocaleString('en')} duplicates, ${report.rejected.toLocaleString('en')} rejected.`,
  );
  if (report.target === 'contacts') {
    console.log(`${report.matched.toLocaleString('en')} rows match existing contacts (${report.onMatch}); ${report.onDnc.toLocaleString('en')} numbers are on the do-not-call list.`);
    for (const r of report.renamed.slice(0, 20)) console.log(`  renamed ${r.phone}: ${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}`);
  }
  for (const problem of report.rejections.slice(0, 20)) console.log(`  line ${problem.line}: ${problem.reason}`);
  if (report.rejected > 20) console.log(`  ... and ${report.rejected - 20} more (use --json for the list)`);
  if (report.warnings.length > 0) console.log(`${report.warnings.length} warning(s); first: line ${report.warnings[0]!.line}: ${report.warnings[0]!.reason}`);
  if (report.stoppedEarly) console.log(`Stopped at line ${report.stoppedEarly.line}: ${report.stoppedEarly.reason}`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseDelimiter(value: string): Delimiter {
  const delimiter = value === 'tab' || value === '\\t' ? '\t' : value;
  const parsed = Delimiter.safeParse(delimiter);
  if (!parsed.success) throw new InvalidArgumentError('use , ; | or tab');
  return parsed.data;
}

function parseMatchChoice(value: string): MatchChoice {
  const parsed = MatchChoice.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('use skip, fill-empty or overwrite');
  return parsed.data;
}

function parseRegion(value: string): string {
  const parsed = Region.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]!.message);
  return parsed.data;
}

/** `--map phone=Mobile --map name="First Name" --map name=Surname --map custom=Plan` -> a column mapping. */
function parseMapping(pairs: string[]): ColumnMapping {
  const mapping: Record<string, unknown> = { name: [], custom: [] };
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const written = pair.slice(0, at).trim().toLowerCase();
    // Field names are matched without regard to case (consentKind, consentkind).
    const field = MAPPABLE.find((f) => f.toLowerCase() === written) ?? written;
    const column = pair.slice(at + 1);
    if (at <= 0 || !column) throw new InvalidArgumentError(`--map ${pair}: use field=column`);
    if (!(MAPPABLE as readonly string[]).includes(field)) throw new InvalidArgumentError(`--map ${pair}: field must be one of ${MAPPABLE.join(', ')}`);
    if (field === 'name' || field === 'custom') (mapping[field] as string[]).push(column);
    else mapping[field] = column;
  }
  const parsed = ColumnMapping.safeParse(mapping);
  if (!parsed.success) throw new InvalidArgumentError(`--map: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}
