import { MAX_CUSTOM_VALUE_CHARS, Tag } from '../../contracts';
import { consentFromCells, type ConsentDraft } from '../compliance/consent-import';
import { parseZoneName } from '../domain/time-zone-inference';
import type { ColumnIndexes } from './column-mapping';
import { interpretPhone, phoneFacts, type PhoneFacts } from './phone';

/** A contact as read from one row, normalised and ready to merge into the store. */
export interface DraftContact {
  e164: string;
  name: string;
  email: string | null;
  company: string | null;
  timezone: string | null;
  timezoneInferred: boolean;
  tags: string[];
  custom: Record<string, string>;
  /** Consent the file records for this contact, if it has consent columns. */
  consent: ConsentDraft | null;
}

export type MappedRow = { ok: true; contact: DraftContact; warnings: string[] } | { ok: false; reason: string };

const LIMITS = { name: 200, email: 254, company: 200, timezone: 64, tags: 2_000, phone: 200 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Turns one record into a draft contact, or says exactly why the row cannot be imported. */
export function createRowMapper(headers: string[], columns: ColumnIndexes, options: { defaultRegion: string; tags: string[] }) {
  const cell = (fields: string[], index: number | undefined) => (index === undefined ? '' : (fields[index] ?? '').trim());

  const tooLong = (fields: string[]): string | undefined => {
    const check = (index: number | undefined, limit: number) => {
      if (index === undefined) return undefined;
      const length = (fields[index] ?? '').length;
      return length > limit
        ? `Column ${JSON.stringify(headers[index])} is ${length.toLocaleString('en')} characters long; the limit is ${limit.toLocaleString('en')}`
        : undefined;
    };
    return (
      check(columns.phone, LIMITS.phone) ??
      columns.name.map((i) => check(i, LIMITS.name)).find(Boolean) ??
      check(columns.email, LIMITS.email) ??
      check(columns.company, LIMITS.company) ??
      check(columns.timezone, LIMITS.timezone) ??
      check(columns.tags, LIMITS.tags) ??
      columns.custom.map((c) => check(c.index, MAX_CUSTOM_VALUE_CHARS)).find(Boolean)
    );
  };

  /** `facts` from phoneText() run through phoneFacts (possibly on a worker thread); computed here when absent. */
  const map = (fields: string[], facts?: PhoneFacts): MappedRow => {
    const overLimit = tooLong(fields);
    if (overLimit) return { ok: false, reason: overLimit };
    const raw = cell(fields, columns.phone);
    const phone = interpretPhone(raw, options.defaultRegion, facts === undefined ? phoneFacts(raw, options.defaultRegion) : facts);
    if (!phone.ok) return { ok: false, reason: phone.reason };

    const warnings: string[] = [];
    const name = columns.name
      .map((i) => cell(fields, i))
      .filter(Boolean)
      .join(' ')
      .slice(0, LIMITS.name);

    let email: string | null = cell(fields, columns.email) || null;
    if (email && !EMAIL.test(email)) {
      warnings.push(`${JSON.stringify(email)} is not an email address; left empty`);
      email = null;
    }

    let timezone: string | null = null;
    let timezoneInferred = false;
    const written = cell(fields, columns.timezone);
    if (written) {
      const zone = parseZoneName(written);
      if (zone) timezone = zone;
      else warnings.push(`Unknown time zone ${JSON.stringify(written)}; ${phone.inferredZone ? `used ${phone.inferredZone} from the number` : 'the campaign default will be used'}`);
    }
    if (!timezone && phone.inferredZone) {
      timezone = phone.inferredZone;
      timezoneInferred = true;
    }

    const tags = new Set(options.tags);
    const tagText = cell(fields, columns.tags);
    if (tagText) {
      for (const raw of tagText.split(/[;,|]/)) {
        const parsed = Tag.safeParse(raw);
        if (parsed.success) tags.add(parsed.data);
        else if (raw.trim()) warnings.push(`Tag ${JSON.stringify(raw.trim().slice(0, 50))} skipped: ${parsed.error.issues[0]?.message}`);
      }
    }

    const custom: Record<string, string> = {};
    for (const { field, index } of columns.custom) {
      const value = cell(fields, index);
      if (value) custom[field] = value;
    }

    const read = consentFromCells({
      kind: cell(fields, columns.consent.kind),
      source: cell(fields, columns.consent.source),
      date: cell(fields, columns.consent.date),
      evidence: cell(fields, columns.consent.evidence),
    });
    if (read.warning) warnings.push(read.warning);

    return {
      ok: true,
      warnings,
      contact: {
        consent: read.consent,
        e164: phone.e164,
        name,
        email,
        company: cell(fields, columns.company) || null,
        timezone,
        timezoneInferred,
        tags: [...tags],
        custom,
      },
    };
  };
  /** The phone cell of a row, as handed to phoneFacts. */
  const phoneText = (fields: string[]) => cell(fields, columns.phone);
  return { map, phoneText };
}
