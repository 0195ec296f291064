import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_SETTINGS, type CallingWindow } from '../../../electron/contracts';
import { isWithinCallingWindow, openZones } from '../../../electron/engine/domain/calling-window';
import { canTransition, nextStatus } from '../../../electron/engine/domain/campaign-lifecycle';
import { localTime, utcOffsetMinutes } from '../../../electron/engine/domain/local-time';
import { afterAttempt } from '../../../electron/engine/domain/retry-policy';
import { variantFor } from '../../../electron/engine/domain/variants';

const window: CallingWindow = { start: '08:00', end: '21:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], holidays: ['2026-01-19'] };
const at = (iso: string) => Date.parse(iso);

describe('calling window in the contact’s own zone', () => {
  it('opens at 08:00 and closes at 21:00 local, per zone', () => {
    // Tuesday 2026-01-06 15:59Z = 07:59 in Los Angeles, 10:59 in New York.
    expect(isWithinCallingWindow(window, 'America/Los_Angeles', at('2026-01-06T15:59:00Z'))).toBe(false);
    expect(isWithinCallingWindow(window, 'America/New_York', at('2026-01-06T15:59:00Z'))).toBe(true);
    expect(isWithinCallingWindow(window, 'America/Los_Angeles', at('2026-01-06T16:00:00Z'))).toBe(true);
    // 21:00 in Los Angeles is the end: no new call starts then.
    expect(isWithinCallingWindow(window, 'America/Los_Angeles', at('2026-01-07T04:59:00Z'))).toBe(true);
    expect(isWithinCallingWindow(window, 'America/Los_Angeles', at('2026-01-07T05:00:00Z'))).toBe(false);
  });

  it('skips days off and holidays, judged by the contact’s local date', () => {
    // Sunday 2026-01-11 noon in New York.
    expect(isWithinCallingWindow(window, 'America/New_York', at('2026-01-11T17:00:00Z'))).toBe(false);
    // Monday 2026-01-19 is a holiday.
    expect(isWithinCallingWindow(window, 'America/New_York', at('2026-01-19T17:00:00Z'))).toBe(false);
    // Monday 2026-01-19 02:00Z is still Sunday evening in Los Angeles... and Monday 11:00 in Tokyo (a holiday there too).
    expect(isWithinCallingWindow(window, 'Asia/Tokyo', at('2026-01-19T02:00:00Z'))).toBe(false);
    expect(isWithinCallingWindow(window, 'Asia/Tokyo', at('2026-01-20T02:00:00Z'))).toBe(true);
  });

  it('follows daylight saving time as Intl knows it', () => {
    // US clocks go forward on 2026-03-08: 08:00 in New York is 13:00Z before, 12:00Z after.
    expect(isWithinCallingWindow(window, 'America/New_York', at('2026-03-07T12:30:00Z'))).toBe(false);
    expect(isWithinCallingWindow(window, 'America/New_York', at('2026-03-09T12:30:00Z'))).toBe(true);
    expect(utcOffsetMinutes('America/New_York', at('2026-03-07T12:00:00Z'))).toBe(-300);
    expect(utcOffsetMinutes('America/New_York', at('2026-03-09T12:00:00Z'))).toBe(-240);
    expect(localTime('Asia/Kolkata', at('2026-01-06T00:00:00Z'))).toEqual({ date: '2026-01-06', weekday: 'tue', minutes: 5 * 60 + 30 });
  });

  it('reports only the open zones and never an unknown one', () => {
    expect(openZones(window, ['America/New_York', 'America/Los_Angeles', 'Not/AZone'], at('2026-01-06T15:00:00Z'))).toEqual(['America/New_York']);
  });
});

describe('retry policy', () => {
  const base = { maxAttempts: 3, retryDelayMinutes: DEFAULT_CAMPAIGN_SETTINGS.retryDelayMinutes, now: 1_000_000 };
  it('finishes a completed call and retries the others after their own delay', () => {
    expect(afterAttempt({ ...base, outcome: 'completed', attempts: 1 })).toEqual({ state: 'done' });
    expect(afterAttempt({ ...base, outcome: 'no-answer', attempts: 1 })).toEqual({ state: 'queued', nextAt: 1_000_000 + 240 * 60_000 });
    expect(afterAttempt({ ...base, outcome: 'busy', attempts: 2 })).toEqual({ state: 'queued', nextAt: 1_000_000 + 30 * 60_000 });
    expect(afterAttempt({ ...base, outcome: 'unknown', attempts: 1 })).toEqual({ state: 'queued', nextAt: 1_000_000 + 60 * 60_000 });
    // A person cut off mid-conversation by a stop of Parley is called again later, never at once.
    expect(afterAttempt({ ...base, outcome: 'interrupted', attempts: 1 })).toEqual({ state: 'queued', nextAt: 1_000_000 + 180 * 60_000 });
  });
  it('stops after the last attempt or when an outcome is not retried', () => {
    expect(afterAttempt({ ...base, outcome: 'no-answer', attempts: 3 })).toEqual({ state: 'done' });
    const noVoicemailRetry = { ...base.retryDelayMinutes, voicemail: null };
    expect(afterAttempt({ ...base, retryDelayMinutes: noVoicemailRetry, outcome: 'voicemail', attempts: 1 })).toEqual({ state: 'done' });
  });
});

describe('campaign lifecycle', () => {
  it('allows draft -> scheduled -> running <-> paused -> completed / stopped', () => {
    expect(nextStatus('draft', 'launch')).toBe('running');
    expect(nextStatus('draft', 'schedule')).toBe('scheduled');
    expect(nextStatus('scheduled', 'start')).toBe('running');
    expect(nextStatus('running', 'pause')).toBe('paused');
    expect(nextStatus('paused', 'resume')).toBe('running');
    expect(nextStatus('running', 'complete')).toBe('completed');
    expect(nextStatus('paused', 'stop')).toBe('stopped');
    expect(nextStatus('scheduled', 'stop')).toBe('stopped');
  });
  it('refuses the rest with a conflict that says why', () => {
    expect(() => nextStatus('completed', 'resume')).toThrow('Cannot resume a campaign that is completed');
    expect(() => nextStatus('draft', 'pause')).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(canTransition('stopped', 'launch')).toBe(false);
    expect(canTransition('running', 'launch')).toBe(false);
  });
});

describe('A/B variants', () => {
  it('splits by weight, keeps a contact on its variant and never picks a zero weight', () => {
    const variants = [
      { name: 'A', agentPrompt: 'a', weight: 70 },
      { name: 'B', agentPrompt: 'b', weight: 30 },
      { name: 'C', agentPrompt: 'c', weight: 0 },
    ];
    const counts: Record<string, number> = {};
    for (let seq = 1; seq <= 10_000; seq++) counts[variantFor(variants, seq)!] = (counts[variantFor(variants, seq)!] ?? 0) + 1;
    expect(counts.A! / 10_000).toBeCloseTo(0.7, 1);
    expect(counts.B! / 10_000).toBeCloseTo(0.3, 1);
    expect(counts.C).toBeUndefined();
    expect(variantFor(variants, 42)).toBe(variantFor(variants, 42));
    expect(variantFor([], 1)).toBeNull();
  });
});
