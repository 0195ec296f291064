import type { CallingWindow } from '../../contracts';
import { localTime, minutesOfDay } from './local-time';

/**
 * Whether a call may start now for a contact in `zone`: a calling day, not a holiday, and between
 * the window's start (inclusive) and end (exclusive), all in the contact's own local time.
 */
export function isWithinCallingWindow(window: CallingWindow, zone: string, epochMs: number): boolean {
  const local = localTime(zone, epochMs);
  if (!window.days.includes(local.weekday)) return false;
  if (window.holidays.includes(local.date)) return false;
  return local.minutes >= minutesOfDay(window.start) && local.minutes < minutesOfDay(window.end);
}

/**
 * Of `zones`, those whose window is open now. The dialer asks this once per tick for the handful
 * of zones in a campaign's queue, instead of once per contact.
 */
export function openZones(window: CallingWindow, zones: Iterable<string>, epochMs: number): string[] {
  const open: string[] = [];
  for (const zone of zones) {
    try {
      if (isWithinCallingWindow(window, zone, epochMs)) open.push(zone);
    } catch {
      // A zone this runtime does not know is never "open": nobody is called at an unknown hour.
    }
  }
  return open;
}
