import type { MatchChoice } from '../../contracts';
import type { DraftContact } from './row-mapper';

/** A contact as stored, in the columns an import may change. */
export interface StoredContact {
  id: string;
  name: string;
  email: string | null;
  company: string | null;
  timezone: string | null;
  timezone_inferred: number;
  tags: string; // JSON array
  custom: string; // JSON object
}

export type MergedContact = Omit<StoredContact, 'id'>;

/**
 * What an imported row makes of the contact that already has its number, under the import's
 * choice; null when the contact stays as it is. 'fill-empty' only writes fields that are empty
 * (tags and new custom fields are added, never removed); 'overwrite' lets the file's non-empty
 * values win, except that a time zone someone wrote down is never replaced by a guess.
 */
export function mergeImported(existing: StoredContact, draft: DraftContact, choice: MatchChoice): MergedContact | null {
  if (choice === 'skip') return null;
  const oldTags = JSON.parse(existing.tags) as string[];
  const tags = JSON.stringify([...new Set([...oldTags, ...draft.tags])]);
  const oldCustom = JSON.parse(existing.custom) as Record<string, string>;
  let merged: MergedContact;
  if (choice === 'fill-empty') {
    const fillZone = existing.timezone === null && draft.timezone !== null;
    merged = {
      name: existing.name || draft.name,
      email: existing.email ?? draft.email,
      company: existing.company ?? draft.company,
      timezone: fillZone ? draft.timezone : existing.timezone,
      timezone_inferred: fillZone ? (draft.timezoneInferred ? 1 : 0) : existing.timezone_inferred,
      tags,
      custom: JSON.stringify({ ...draft.custom, ...oldCustom }),
    };
  } else {
    const keepWrittenZone = existing.timezone !== null && existing.timezone_inferred === 0 && draft.timezoneInferred;
    merged = {
      name: draft.name || existing.name,
      email: draft.email ?? existing.email,
      company: draft.company ?? existing.company,
      timezone: keepWrittenZone ? existing.timezone : (draft.timezone ?? existing.timezone),
      timezone_inferred: keepWrittenZone ? 0 : draft.timezone ? (draft.timezoneInferred ? 1 : 0) : existing.timezone_inferred,
      tags,
      custom: JSON.stringify({ ...oldCustom, ...draft.custom }),
    };
  }
  const same = (Object.keys(merged) as Array<keyof MergedContact>).every((key) => sameValue(key, merged[key], existing[key]));
  return same ? null : merged;
}

function sameValue(key: keyof MergedContact, next: string | number | null, before: string | number | null): boolean {
  if (key === 'tags' || key === 'custom') return sameJson(next as string, before as string);
  return next === before;
}

/** Equal JSON, whatever the order of object keys (custom fields may come back in another order). */
function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  const x = JSON.parse(a) as unknown;
  const y = JSON.parse(b) as unknown;
  if (Array.isArray(x) || Array.isArray(y)) return JSON.stringify(x) === JSON.stringify(y);
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  const keys = Object.keys(xo);
  return keys.length === Object.keys(yo).length && keys.every((k) => xo[k] === yo[k]);
}
