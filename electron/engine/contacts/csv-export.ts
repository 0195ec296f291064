import { stringify } from 'csv-stringify/sync';
import { sql, type Kysely } from 'kysely';
import type { SegmentFilter } from '../../contracts';
import type { Database } from '../storage/schema';
import { onDncList, segmentCondition } from './segment-query';

const FIXED_COLUMNS = ['name', 'phone', 'email', 'company', 'timezone', 'timezone_inferred', 'tags', 'do_not_call', 'last_outcome', 'last_contacted_at', 'attempts'];

/**
 * Spreadsheet apps run cells starting with = + - @ (or a tab/CR before them) as formulas; a leading
 * apostrophe makes them text (OWASP "CSV injection"). A plain E.164 number or a plain negative number
 * is left alone, so phone columns stay readable.
 */
export function neutraliseFormula(value: string): string {
  if (!/^[=+\-@\t\r]/.test(value)) return value;
  if (/^\+\d{4,15}$/.test(value) || /^-\d+(\.\d+)?$/.test(value)) return value;
  return `'${value}`;
}

export interface ExportPage {
  csv: string;
  /** Pass as `after` for the next page; null at the end. */
  next: number | null;
  rows: number;
  customFields: string[];
}

/** One page of contacts as CSV, in insertion order (rowid), optionally limited to a segment. */
export async function exportPage(
  db: Kysely<Database>,
  options: { filter?: SegmentFilter | undefined; after: number; limit: number; now: number; customFields?: string[] | undefined; header: boolean },
): Promise<ExportPage> {
  const customFields = options.customFields ?? (await customFieldNames(db));
  let query = db
    .selectFrom('contacts as c')
    .selectAll('c')
    .select([sql<number>`c.rowid`.as('row_id'), onDncList.as('dnc')])
    .where(sql<number>`c.rowid`, '>', options.after)
    .orderBy(sql`c.rowid`)
    .limit(options.limit);
  if (options.filter) query = query.where(segmentCondition(options.filter, options.now));
  const rows = await query.execute();
  const records: string[][] = options.header ? [[...FIXED_COLUMNS, ...customFields]] : [];
  for (const row of rows) {
    const custom = JSON.parse(row.custom) as Record<string, string>;
    records.push(
      [
        row.name,
        row.phone_e164,
        row.email ?? '',
        row.company ?? '',
        row.timezone ?? '',
        row.timezone_inferred ? 'yes' : 'no',
        (JSON.parse(row.tags) as string[]).join('; '),
        row.dnc ? 'yes' : 'no',
        row.last_outcome ?? '',
        row.last_attempt_at === null ? '' : new Date(row.last_attempt_at).toISOString(),
        String(row.attempt_count),
        ...customFields.map((field) => custom[field] ?? ''),
      ].map(neutraliseFormula),
    );
  }
  return {
    csv: records.length > 0 ? stringify(records) : '',
    next: rows.length === options.limit ? Number(rows.at(-1)!.row_id) : null,
    rows: rows.length,
    customFields,
  };
}

export async function customFieldNames(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ key: string }>`select distinct j.key as key from contacts c, json_each(c.custom) j order by 1 limit 500`.execute(db);
  return result.rows.map((r) => r.key);
}

