import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CallingWindow } from '../../contracts';
import { localTime, minutesOfDay } from '../domain/local-time';
import { zonesOfSplitAreaCode } from '../domain/nanp-split-zones';
import { hoursRule, stateOfAreaCode, type HoursRule } from './calling-hours-table';

/** What the dialer knows of where a number rings. */
export interface RecipientPlace {
  phoneE164: string;
  /** The contact's zone, if any. */
  timezone: string | null;
  /** True when that zone was guessed from the number rather than given. */
  timezoneInferred: boolean;
}

/** The table entries binding a number: its country's and, for US numbers, its state's. */
export function rulesFor(phoneE164: string): HoursRule[] {
  const country = parsePhoneNumberFromString(phoneE164)?.country;
  const rules: HoursRule[] = [];
  const national = country ? hoursRule(country) : undefined;
  if (national) rules.push(national);
  if (country === 'US') {
    const state = stateOfAreaCode(phoneE164.slice(2, 5));
    const rule = state ? hoursRule(state) : undefined;
    if (rule) rules.push(rule);
  }
  return rules;
}

/**
 * Every zone the recipient may be in. A zone the contact was given is certain; a guessed one (or
 * the campaign default, for numbers that say nothing) is joined by every zone its area code spans,
 * so a call must be legal in each of them.
 */
export function candidateZones(place: RecipientPlace, defaultZone: string): string[] {
  const zone = place.timezone ?? defaultZone;
  if (place.timezone && !place.timezoneInferred) return [zone];
  const zones = new Set([zone]);
  if (place.phoneE164.startsWith('+1')) for (const z of zonesOfSplitAreaCode(place.phoneE164.slice(2, 5)) ?? []) zones.add(z);
  return [...zones];
}

function withinDay(start: string, end: string, minutes: number): boolean {
  return minutes >= minutesOfDay(start) && minutes < minutesOfDay(end);
}

/** Whether every rule allows a call starting now in `zone`. Throws RangeError for a zone Intl does not know. */
export function legalIn(rules: readonly HoursRule[], zone: string, epochMs: number): boolean {
  if (rules.length === 0) return true;
  const local = localTime(zone, epochMs);
  for (const rule of rules) {
    const day = rule.days[local.weekday];
    if (!day || !withinDay(day.start, day.end, local.minutes)) return false;
    if (rule.holidays?.(Number(local.date.slice(0, 4))).includes(local.date)) return false;
  }
  return true;
}

/** Campaign window and legal hours together, in one zone. */
function openIn(window: CallingWindow, rules: readonly HoursRule[], zone: string, epochMs: number): boolean {
  const local = localTime(zone, epochMs);
  if (!window.days.includes(local.weekday) || window.holidays.includes(local.date)) return false;
  if (!withinDay(window.start, window.end, local.minutes)) return false;
  return legalIn(rules, zone, epochMs);
}

/**
 * Whether a call may start now: inside the campaign's window and every legal entry, in every zone
 * the recipient may be in. An unknown zone is never open.
 */
export function mayCallNow(window: CallingWindow, rules: readonly HoursRule[], zones: readonly string[], epochMs: number): boolean {
  try {
    return zones.length > 0 && zones.every((zone) => openIn(window, rules, zone, epochMs));
  } catch {
    return false;
  }
}

/** Openings are found on a quarter-hour grid: never early, at most 15 minutes late. */
const STEP_MS = 15 * 60_000;

/**
 * The first moment (on a 15-minute grid, within `horizonDays`) when mayCallNow holds, or null.
 * Used to put a contact back in the queue until then instead of looking at it every tick.
 */
export function nextOpening(window: CallingWindow, rules: readonly HoursRule[], zones: readonly string[], epochMs: number, horizonDays = 8): number | null {
  const first = Math.ceil((epochMs + 1) / STEP_MS) * STEP_MS;
  const last = epochMs + horizonDays * 86_400_000;
  for (let t = first; t <= last; t += STEP_MS) if (mayCallNow(window, rules, zones, t)) return t;
  return null;
}
