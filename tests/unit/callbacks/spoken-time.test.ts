import { describe, expect, it } from 'vitest';
import { parseSpokenTime } from '../../../electron/engine/callbacks/spoken-time';
import { placeInWindow, nextDayOpening } from '../../../electron/engine/callbacks/calling-window-placement';
import { zonedToEpoch } from '../../../electron/engine/callbacks/zoned-time';
import type { CallingWindow } from '../../../electron/contracts';

const NY = 'America/New_York';
// Friday 4 December 2026, 15:00 in New York (EST, UTC-5).
const NOW = Date.parse('2026-12-04T20:00:00Z');
const at = (words: string, zone = NY, now = NOW) => {
  const r = parseSpokenTime(words, zone, now);
  return r ? new Date(r.epochMs).toISOString() : null;
};

describe('spoken callback times in the contact zone', () => {
  it('reads the phrases callers use', () => {
    expect(at('call me back tomorrow at ten')).toBe('2026-12-05T15:00:00.000Z');
    expect(at('next Tuesday afternoon')).toBe('2026-12-08T19:00:00.000Z');
    expect(at('in two hours')).toBe('2026-12-04T22:00:00.000Z');
    expect(at('at 3pm')).toBe('2026-12-05T20:00:00.000Z'); // 3pm today has passed (it is 15:00): tomorrow
    expect(at('at 4pm')).toBe('2026-12-04T21:00:00.000Z');
    expect(at('half past four tomorrow')).toBe('2026-12-05T21:30:00.000Z');
    expect(at('Friday at 9:30')).toBe('2026-12-11T14:30:00.000Z');
    expect(at('in an hour')).toBe('2026-12-04T21:00:00.000Z');
    expect(at('tomorrow morning')).toBe('2026-12-05T15:00:00.000Z');
  });

  it('gives null when nothing names a time', () => {
    expect(at('later')).toBeNull();
    expect(at('not a good time')).toBeNull();
    expect(at('')).toBeNull();
  });

  it('uses the zone of the contact, not the machine', () => {
    expect(at('tomorrow at ten', 'Europe/Berlin')).toBe('2026-12-05T09:00:00.000Z');
    // Already Saturday 01:30 in Kolkata: tomorrow is Sunday.
    expect(at('tomorrow at ten', 'Asia/Kolkata')).toBe('2026-12-06T04:30:00.000Z');
  });

  it('keeps the wall time across a daylight-saving change', () => {
    // Saturday 7 March 2026 noon in New York (EST); clocks spring forward at 02:00 on Sunday 8 March.
    const beforeSpring = Date.parse('2026-03-07T17:00:00Z');
    expect(at('tomorrow at ten', NY, beforeSpring)).toBe('2026-03-08T14:00:00.000Z'); // EDT, UTC-4
    // Saturday 31 October 2026 noon (EDT); clocks fall back on Sunday 1 November.
    const beforeFall = Date.parse('2026-10-31T16:00:00Z');
    expect(at('tomorrow at ten', NY, beforeFall)).toBe('2026-11-01T15:00:00.000Z'); // EST, UTC-5
    // A time the clocks skip lands after the jump; a repeated one is its first occurrence.
    expect(new Date(zonedToEpoch(NY, { year: 2026, month: 3, day: 8 }, 2 * 60 + 30)).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(new Date(zonedToEpoch(NY, { year: 2026, month: 11, day: 1 }, 1 * 60 + 30)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('placing a callback inside the calling window', () => {
  const window: CallingWindow = { start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2026-12-08'] };

  it('keeps a time inside the window', () => {
    const t = Date.parse('2026-12-07T15:00:00Z'); // Monday 10:00 NY
    expect(placeInWindow(window, NY, t)).toBe(t);
  });

  it('moves an early time to that day opening and a late one to the next calling day', () => {
    expect(new Date(placeInWindow(window, NY, Date.parse('2026-12-07T12:00:00Z'))!).toISOString()).toBe('2026-12-07T14:00:00.000Z');
    // Monday 19:00 -> Tuesday is a holiday -> Wednesday 09:00.
    expect(new Date(placeInWindow(window, NY, Date.parse('2026-12-08T00:00:00Z'))!).toISOString()).toBe('2026-12-09T14:00:00.000Z');
    // Saturday -> Monday 09:00.
    expect(new Date(placeInWindow(window, NY, Date.parse('2026-12-05T15:00:00Z'))!).toISOString()).toBe('2026-12-07T14:00:00.000Z');
  });

  it('defaults to the next calling day opening, and gives null for a window that never opens', () => {
    expect(new Date(nextDayOpening(window, NY, NOW)!).toISOString()).toBe('2026-12-07T14:00:00.000Z');
    expect(placeInWindow({ ...window, days: [] }, NY, NOW)).toBeNull();
  });
});
