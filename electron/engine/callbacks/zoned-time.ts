import type { Weekday } from '../../contracts';
import { localTime, utcOffsetMinutes } from '../domain/local-time';

/** A calendar day, as written in some zone (no instant attached). */
export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function localDateOf(zone: string, epochMs: number): LocalDate {
  const [year, month, day] = localTime(zone, epochMs).date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;
}

export function isoDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/**
 * The instant at which the wall clock in `zone` shows `minutes` past midnight on `date`. A time the
 * clocks skip (spring forward) lands the same distance after the jump; a time that happens twice
 * (fall back) is its first occurrence.
 */
export function zonedToEpoch(zone: string, date: LocalDate, minutes: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = wall - utcOffsetMinutes(zone, wall) * 60_000;
  const second = wall - utcOffsetMinutes(zone, first) * 60_000;
  if (first === second) return first;
  // The two guesses straddle a change: take the earlier one that really shows this wall time, else the later.
  const earlier = Math.min(first, second);
  const later = Math.max(first, second);
  return localMinutes(zone, earlier) === minutes ? earlier : later;
}

function localMinutes(zone: string, epochMs: number): number {
  return localTime(zone, epochMs).minutes;
}
