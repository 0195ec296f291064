import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SegmentFilter } from '../../contracts';

const DAY_MS = 86_400_000;

/** LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * A segment filter as one SQL condition over `contacts as c`. Every value is a bound parameter;
 * custom fields are read with json_each so any field name (quotes, dots) is safe.
 */
export function segmentCondition(filter: SegmentFilter, now: number): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (filter.search) parts.push(searchCondition(filter.search));
  if (filter.tagsAny.length > 0) {
    parts.push(sql`exists (select 1 from contact_tags t where t.contact_id = c.id and t.tag in (${sql.join(filter.tagsAny)}))`);
  }
  for (const tag of filter.tagsAll) {
    parts.push(sql`exists (select 1 from contact_tags t where t.contact_id = c.id and t.tag = ${tag})`);
  }
  if (filter.tagsNone.length > 0) {
    parts.push(sql`not exists (select 1 from contact_tags t where t.contact_id = c.id and t.tag in (${sql.join(filter.tagsNone)}))`);
  }
  for (const condition of filter.custom) {
    const value = sql`(select j.value from json_each(c.custom) j where j.key = ${condition.field})`;
    switch (condition.op) {
      case 'equals':
        parts.push(sql`lower(${value}) = lower(${condition.value})`);
        break;
      case 'not-equals':
        parts.push(sql`coalesce(lower(${value}), '') <> lower(${condition.value})`);
        break;
      case 'contains':
        parts.push(sql`instr(lower(${value}), lower(${condition.value})) > 0`);
        break;
      case 'is-set':
        parts.push(sql`coalesce(${value}, '') <> ''`);
        break;
      case 'is-empty':
        parts.push(sql`coalesce(${value}, '') = ''`);
        break;
    }
  }
  if (filter.lastOutcomes.length > 0) parts.push(sql`c.last_outcome in (${sql.join(filter.lastOutcomes)})`);
  if (filter.neverCalled === true) parts.push(sql`c.attempt_count = 0`);
  if (filter.neverCalled === false) parts.push(sql`c.attempt_count > 0`);
  if (filter.notContactedForDays !== null) {
    parts.push(sql`(c.last_attempt_at is null or c.last_attempt_at <= ${now - filter.notContactedForDays * DAY_MS})`);
  }
  if (filter.contactedWithinDays !== null) {
    parts.push(sql`c.last_attempt_at >= ${now - filter.contactedWithinDays * DAY_MS}`);
  }
  return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

export function searchCondition(search: string): RawBuilder<SqlBool> {
  const pattern = containsPattern(search);
  const digits = search.replace(/\D/g, '');
  const phone = digits.length >= 3 ? sql` or c.phone_e164 like ${containsPattern(digits)} escape '\\'` : sql``;
  return sql<SqlBool>`(c.name like ${pattern} escape '\\' or c.email like ${pattern} escape '\\' or c.company like ${pattern} escape '\\'${phone})`;
}

/** True when the contact's number is on the do-not-call list. */
export const onDncList = sql<SqlBool>`exists (select 1 from dnc_numbers d where d.phone_e164 = c.phone_e164)`;
