import { ParleyError, type ColumnMapping } from '../../contracts';
import { CONSENT_HEADERS } from '../compliance/consent-import';

const key = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

const PHONE = ['phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'tel', 'telephone', 'number', 'contactnumber', 'msisdn', 'phone1', 'primaryphone', 'workphone', 'homephone'];
const NAME = ['name', 'fullname', 'contactname', 'customername', 'contact', 'customer'];
const FIRST = ['firstname', 'first', 'givenname', 'forename'];
const LAST = ['lastname', 'last', 'surname', 'familyname'];
const EMAIL = ['email', 'emailaddress', 'mail', 'email1'];
const COMPANY = ['company', 'companyname', 'organization', 'organisation', 'business', 'account', 'employer'];
const TIMEZONE = ['timezone', 'tz', 'zone', 'timezonename'];
const TAGS = ['tags', 'tag', 'labels', 'label', 'groups'];

/** A mapping guessed from the header names; `phone` is null when no column looks like one. */
export function suggestMapping(headers: string[]): Omit<ColumnMapping, 'phone'> & { phone: string | null } {
  const used = new Set<string>();
  const find = (names: string[]) => {
    for (const name of names) {
      const header = headers.find((h) => !used.has(h) && key(h) === name);
      if (header !== undefined) {
        used.add(header);
        return header;
      }
    }
    return undefined;
  };
  const phone = find(PHONE) ?? null;
  const fullName = find(NAME);
  const name = fullName ? [fullName] : [find(FIRST), find(LAST)].filter((h): h is string => h !== undefined);
  const mapping = {
    phone,
    name,
    email: find(EMAIL),
    company: find(COMPANY),
    timezone: find(TIMEZONE),
    tags: find(TAGS),
    custom: [] as string[],
    consentKind: find([...CONSENT_HEADERS.kind]),
    consentSource: find([...CONSENT_HEADERS.source]),
    consentDate: find([...CONSENT_HEADERS.date]),
    consentEvidence: find([...CONSENT_HEADERS.evidence]),
  };
  mapping.custom = headers.filter((h) => !used.has(h) && h.trim() !== '');
  return mapping;
}

/** Column positions for a mapping; a mapped column missing from the file is an error before any row is read. */
export interface ColumnIndexes {
  name: number[];
  phone: number;
  email: number | undefined;
  company: number | undefined;
  timezone: number | undefined;
  tags: number | undefined;
  custom: Array<{ field: string; index: number }>;
  consent: { kind: number | undefined; source: number | undefined; date: number | undefined; evidence: number | undefined };
}

export function resolveMapping(headers: string[], mapping: ColumnMapping | undefined, delimiterHint: string): ColumnIndexes {
  const effective = mapping ?? suggestOrExplain(headers, delimiterHint);
  const missing: string[] = [];
  const indexOf = (column: string) => {
    const i = headers.indexOf(column);
    if (i < 0) missing.push(column);
    return i;
  };
  const optional = (column: string | undefined) => (column === undefined ? undefined : indexOf(column));
  const indexes: ColumnIndexes = {
    phone: indexOf(effective.phone),
    name: effective.name.map(indexOf),
    email: optional(effective.email),
    company: optional(effective.company),
    timezone: optional(effective.timezone),
    tags: optional(effective.tags),
    custom: effective.custom.map((field) => ({ field, index: indexOf(field) })),
    consent: {
      kind: optional(effective.consentKind),
      source: optional(effective.consentSource),
      date: optional(effective.consentDate),
      evidence: optional(effective.consentEvidence),
    },
  };
  if (missing.length > 0) {
    throw new ParleyError(
      'invalid_payload',
      `The file has no column ${missing.map((m) => JSON.stringify(m)).join(', ')}. Its columns are: ${listHeaders(headers)}.${delimiterHint}`,
    );
  }
  return indexes;
}

function suggestOrExplain(headers: string[], delimiterHint: string): ColumnMapping {
  const suggested = suggestMapping(headers);
  if (suggested.phone === null) {
    throw new ParleyError(
      'invalid_payload',
      `No phone column found. The file's columns are: ${listHeaders(headers)}. Choose which column holds the phone number.${delimiterHint}`,
    );
  }
  return { ...suggested, phone: suggested.phone };
}

function listHeaders(headers: string[]): string {
  const shown = headers.slice(0, 20).map((h) => JSON.stringify(h.length > 60 ? `${h.slice(0, 60)}…` : h));
  return shown.join(', ') + (headers.length > 20 ? ` and ${headers.length - 20} more` : '');
}

/** Header cells made unique and non-empty, so every column can be named in a mapping. */
export function normaliseHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const base = cell.trim() || `Column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}
