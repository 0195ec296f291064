import type { CallingWindow } from '../../contracts';
import { isWithinCallingWindow } from '../domain/calling-window';
import { minutesOfDay } from '../domain/local-time';
import { addDays, isoDate, localDateOf, weekdayOf, zonedToEpoch, type LocalDate } from './zoned-time';

const SEARCH_DAYS = 21;

/** The calling window's opening on `date` in `zone`, or null when that day is not a calling day. */
export function windowOpening(window: CallingWindow, zone: string, date: LocalDate): number | null {
  if (!window.days.includes(weekdayOf(date)) || window.holidays.includes(isoDate(date))) return null;
  return zonedToEpoch(zone, date, minutesOfDay(window.start));
}

/**
 * When a callback due at `epochMs` may really be placed: that instant if the contact's calling window
 * is open then, else the window's next opening. Null when the window never opens in the next three
 * weeks (no calling days): the caller decides what to do with such a callback.
 */
export function placeInWindow(window: CallingWindow, zone: string, epochMs: number): number | null {
  if (isWithinCallingWindow(window, zone, epochMs)) return epochMs;
  const today = localDateOf(zone, epochMs);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const opening = windowOpening(window, zone, addDays(today, i));
    if (opening !== null && opening >= epochMs) return opening;
  }
  return null;
}

/** The default when a caller gives no time: the window's opening on the next calling day after today. */
export function nextDayOpening(window: CallingWindow, zone: string, nowMs: number): number | null {
  const today = localDateOf(zone, nowMs);
  for (let i = 1; i <= SEARCH_DAYS; i++) {
    const opening = windowOpening(window, zone, addDays(today, i));
    if (opening !== null) return opening;
  }
  return null;
}
