import type { CallingWindow, Weekday } from '../../contracts';
import { countryZones } from '../domain/country-zones';
import { hoursRule, type HoursRule } from './calling-hours-table';

/** The country whose national entry judges a campaign window: the country of its default zone. */
export function countryOfZone(zone: string): string | undefined {
  if (zone.startsWith('America/') || zone.startsWith('Pacific/Honolulu')) {
    const canadian = ['America/Toronto', 'America/Vancouver', 'America/Edmonton', 'America/Winnipeg', 'America/Halifax', 'America/St_Johns', 'America/Regina', 'America/Moncton', 'America/Whitehorse', 'America/Iqaluit', 'America/Goose_Bay', 'America/Dawson_Creek'];
    if (canadian.includes(zone)) return 'CA';
    const us = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'America/Boise', 'America/Detroit', 'America/Indiana/Indianapolis', 'America/Kentucky/Louisville', 'Pacific/Honolulu'];
    if (us.includes(zone) || zone.startsWith('America/Indiana/') || zone.startsWith('America/Kentucky/') || zone.startsWith('America/North_Dakota/')) return 'US';
  }
  // Elsewhere: the country whose main zone this is (country-zones.ts), if any.
  return countryZones().find(([, main]) => main === zone)?.[0];
}

/**
 * Why a campaign window reaches outside the legal hours of the country its default zone belongs
 * to, or of the US when the zone names no country in the table (UTC, say): one sentence per
 * problem, or [] when it fits. State entries narrow calls further at dial time; they do not make a
 * window invalid.
 */
export function windowProblems(window: CallingWindow, defaultZone: string): string[] {
  // A zone of a country without an entry (Europe/London): nothing to check against.
  const rule = hoursRule(countryOfZone(defaultZone) ?? 'US');
  return rule ? problemsAgainst(window, rule) : [];
}

function problemsAgainst(window: CallingWindow, rule: HoursRule): string[] {
  // Days with the same legal hours are named in one sentence.
  const groups = new Map<string, Weekday[]>();
  for (const day of window.days as Weekday[]) {
    const legal = rule.days[day];
    if (legal && window.start >= legal.start && window.end <= legal.end) continue;
    const key = legal ? `${legal.start}-${legal.end}` : 'none';
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  return [...groups].map(([key, days]) =>
    key === 'none'
      ? `${rule.name} allows no calls on ${days.join(', ')} (${rule.source}).`
      : `${rule.name} allows calls on ${days.join(', ')} only from ${key.replace('-', ' to ')} in the recipient's local time; this window is ${window.start}–${window.end} (${rule.source}).`,
  );
}
