import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../../electron/contracts';
import { ControlLeases, type Lease } from '../../../electron/engine/supervision/leases';

const dana = { id: 'dana', name: 'Dana Reyes' };
const lee = { id: 'lee', name: 'Lee Park' };

describe('control leases: one supervisor per call', () => {
  let now = 1_000_000;
  let expired: Lease[];
  let leases: ControlLeases;
  beforeEach(() => {
    vi.useFakeTimers();
    expired = [];
    leases = new ControlLeases({ graceMs: 5_000, now: () => now, onGraceExpired: (l) => expired.push(l) });
  });
  afterEach(() => {
    leases.dispose();
    vi.useRealTimers();
  });

  it('gives the call to the first claim and tells the second who has it, with how long', () => {
    leases.claim('c1', dana, 'takeover', 'tok');
    now += 12_000;
    const error = (() => {
      try {
        leases.claim('c1', lee, 'barge', 'tok2');
      } catch (e) {
        return e as ParleyError;
      }
    })();
    expect(error).toBeInstanceOf(ParleyError);
    expect(error!.code).toBe('conflict');
    expect(error!.message).toBe('Dana Reyes is in control of this call (taken over for 12 s). Ask them to hand it back.');
    expect(leases.get('c1')!.supervisor).toEqual(dana);
    expect(() => leases.assertMayAct('c1', lee.id)).toThrow(/Dana Reyes/);
    expect(() => leases.release('c1', lee.id)).toThrow(/only they can hand it back/);
  });

  it('lets the holder change mode and keeps the start time only for the same mode', () => {
    const first = leases.claim('c1', dana, 'whisper').lease;
    now += 1_000;
    expect(leases.claim('c1', dana, 'whisper').lease.since).toBe(first.since);
    const { lease, previous } = leases.claim('c1', dana, 'takeover', 'tok');
    expect(previous).toBe('whisper');
    expect(lease.since).toBe(now);
    expect(lease.audio).toBe('pending');
  });

  it('returns the call to the AI when the grace period runs out after the console drops', () => {
    leases.claim('c1', dana, 'takeover', 'tok');
    leases.setAudio('c1', 'tok', 'open');
    const changed = leases.setConsole(dana.id, false);
    expect(changed).toHaveLength(1);
    expect(leases.toView(leases.get('c1'))).toMatchObject({ connected: false, graceEndsAt: new Date(now + 5_000).toISOString() });
    vi.advanceTimersByTime(4_999);
    expect(expired).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(expired.map((l) => l.callId)).toEqual(['c1']);
    expect(leases.get('c1')).toBeUndefined();
  });

  it('keeps control for a supervisor who is back within the grace period', () => {
    leases.claim('c1', dana, 'takeover', 'tok');
    leases.setAudio('c1', 'tok', 'open');
    leases.setAudio('c1', 'tok', 'closed');
    vi.advanceTimersByTime(3_000);
    // A new microphone stream for the same claim does not count; re-claiming does.
    expect(leases.setAudio('c1', 'other', 'open')).toEqual([]);
    leases.claim('c1', dana, 'takeover', 'tok3');
    leases.setAudio('c1', 'tok3', 'open');
    vi.advanceTimersByTime(10_000);
    expect(expired).toHaveLength(0);
    expect(leases.toView(leases.get('c1'))).toMatchObject({ connected: true, graceEndsAt: null });
  });

  it('lets another supervisor take a call whose supervisor has dropped out', () => {
    leases.claim('c1', dana, 'whisper');
    leases.setConsole(dana.id, false);
    const { lease } = leases.claim('c1', lee, 'takeover', 'tok');
    expect(lease.supervisor).toEqual(lee);
    vi.advanceTimersByTime(10_000);
    expect(expired).toHaveLength(0);
  });

  it('counts a microphone ticket that never opened as a drop', () => {
    leases.claim('c1', dana, 'barge', 'tok');
    expect(leases.get('c1')!.audio).toBe('pending');
    expect(leases.toView(leases.get('c1'))!.connected).toBe(true);
    leases.setAudio('c1', 'tok', 'closed');
    expect(leases.toView(leases.get('c1'))!.connected).toBe(false);
  });
});
