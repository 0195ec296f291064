import { isTimeZone } from '../../contracts';
import { zoneForCountry } from './country-zones';
import { zoneForAreaCode } from './nanp-zones';

/** Names people write in spreadsheets for the common North American zones. */
const ZONE_ALIASES: Record<string, string> = {
  eastern: 'America/New_York', est: 'America/New_York', edt: 'America/New_York', et: 'America/New_York',
  central: 'America/Chicago', cst: 'America/Chicago', cdt: 'America/Chicago', ct: 'America/Chicago',
  mountain: 'America/Denver', mst: 'America/Denver', mdt: 'America/Denver', mt: 'America/Denver',
  pacific: 'America/Los_Angeles', pst: 'America/Los_Angeles', pdt: 'America/Los_Angeles', pt: 'America/Los_Angeles',
  alaska: 'America/Anchorage', akst: 'America/Anchorage', akdt: 'America/Anchorage',
  hawaii: 'Pacific/Honolulu', hst: 'Pacific/Honolulu',
  utc: 'UTC', gmt: 'UTC', z: 'UTC',
};

/** A zone as written in a file ("America/Chicago", "Central", "EST") -> IANA name, or undefined if unknown. */
export function parseZoneName(written: string): string | undefined {
  const text = written.trim();
  if (!text) return undefined;
  // "Eastern Time", "Central Standard Time", "E.S.T." -> eastern, central, est
  const key = text.toLowerCase().replace(/\b(standard|daylight)?\s*time\b/g, '').replace(/[\s.]/g, '');
  const alias = ZONE_ALIASES[key];
  if (alias) return alias;
  return isTimeZone(text) ? text : undefined;
}

/**
 * The zone a number most likely rings in: NANP area code for US/CA numbers, else the country's main
 * zone. `e164` is "+<digits>"; `country` is libphonenumber's ISO code for it (may be undefined).
 */
export function inferZoneFromNumber(e164: string, country: string | undefined): string | undefined {
  if (e164.startsWith('+1') && (country === 'US' || country === 'CA' || country === undefined)) {
    // Toll-free and other non-geographic US/CA codes say nothing about where the phone is.
    return zoneForAreaCode(e164.slice(2, 5));
  }
  return country ? zoneForCountry(country) : undefined;
}
