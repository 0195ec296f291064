import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { inferZoneFromNumber } from '../domain/time-zone-inference';

export type PhoneResult =
  | { ok: true; e164: string; country: string | undefined; inferredZone: string | undefined }
  | { ok: false; reason: string };

/** What libphonenumber says about one written number: [E.164, country, valid, calling code], or null if it is no number. */
export type PhoneFacts = [number: string, country: string | null, valid: boolean, callingCode: string] | null;

export const MAX_PHONE_CHARS = 40;

/**
 * A number dialled with an international prefix, `00` (most of the world) or `011` (North America),
 * rewritten with `+`; null when it has none. The rewritten form wins when it is a valid number
 * (`011 44…` is also a valid German number as written); otherwise the number is read in the default
 * region, so a domestic number that merely starts with those digits (Sheffield's 0114 under GB)
 * keeps its meaning. Self-contained: phone-facts-worker.ts embeds its source.
 */
export function withInternationalPrefix(text: string): string | null {
  const match = /^(?:00|011)[\s.\-/()]*([1-9][\d\s.\-/()]*)$/.exec(text.trim());
  return match ? `+${match[1]}` : null;
}

/**
 * The libphonenumber step alone (the expensive part), so bulk imports can run it in a worker.
 * phone-facts-worker.ts runs the same steps; a test keeps the two in agreement.
 */
export function phoneFacts(text: string, defaultRegion: string): PhoneFacts {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > MAX_PHONE_CHARS) return null;
  const international = withInternationalPrefix(trimmed);
  const dialledAbroad = international ? parsePhoneNumberFromString(international) : undefined;
  const parsed = dialledAbroad?.isValid() ? dialledAbroad : parsePhoneNumberFromString(trimmed, defaultRegion as CountryCode);
  return parsed ? [parsed.number, parsed.country ?? null, parsed.isValid(), parsed.countryCallingCode] : null;
}

const shown = (raw: string) => JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);

/** Facts -> E.164 with the zone its area code or country suggests, or the reason it cannot be used. */
export function interpretPhone(raw: string, defaultRegion: string, facts: PhoneFacts): PhoneResult {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'No phone number' };
  if (text.length > MAX_PHONE_CHARS) return { ok: false, reason: `${shown(text)} is too long to be a phone number` };
  if (!facts) return { ok: false, reason: `${shown(text)} is not a phone number` };
  const [e164, country, valid, callingCode] = facts;
  if (!valid) {
    const where = country ?? (text.startsWith('+') ? `+${callingCode}` : defaultRegion);
    return { ok: false, reason: `${shown(text)} is not a valid ${where} number` };
  }
  return { ok: true, e164, country: country ?? undefined, inferredZone: inferZoneFromNumber(e164, country ?? undefined) };
}

/**
 * A number as people write it -> E.164, with the zone its area code or country suggests.
 * `defaultRegion` is the country assumed for numbers written without a country code.
 */
export function normalisePhone(raw: string, defaultRegion: string): PhoneResult {
  return interpretPhone(raw, defaultRegion, phoneFacts(raw, defaultRegion));
}
