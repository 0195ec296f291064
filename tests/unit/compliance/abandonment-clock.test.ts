import { describe, expect, it } from 'vitest';
import { ABANDON_CAP_PERCENT, ABANDON_SILENCE_MS } from '../../../electron/contracts';
import { abandonmentOf, abandonmentPercent, abandonmentState, concurrencyUnderAbandonment } from '../../../electron/engine/domain/abandonment';

const live = { answeredBy: 'human' as const, endedBy: 'agent', endReason: 'goodbye said' };

describe('the abandonment clock', () => {
  it('counts a call whose agent speaks within 2 s of the answer as not abandoned, and one a millisecond later as abandoned', () => {
    expect(ABANDON_SILENCE_MS).toBe(2_000);
    expect(abandonmentOf({ ...live, firstAudioMs: 0 })).toEqual({ counts: true, abandoned: false, why: null });
    expect(abandonmentOf({ ...live, firstAudioMs: 2_000 })).toEqual({ counts: true, abandoned: false, why: null });
    expect(abandonmentOf({ ...live, firstAudioMs: 2_001 })).toMatchObject({ counts: true, abandoned: true, why: 'the agent first spoke 2.0 s after the answer' });
  });

  it('counts a call where the agent never spoke (the caller hung up first) as abandoned', () => {
    expect(abandonmentOf({ ...live, firstAudioMs: null, endedBy: 'caller', endReason: 'caller hung up' })).toMatchObject({ abandoned: true, why: 'the agent never spoke' });
  });

  it('counts a caller who hung up waiting for a person as abandoned, even after the agent spoke', () => {
    expect(abandonmentOf({ ...live, firstAudioMs: 400, endedBy: 'caller', endReason: 'Caller hung up waiting for a person' })).toMatchObject({
      abandoned: true,
      why: 'the caller hung up waiting for a person',
    });
    expect(abandonmentOf({ ...live, firstAudioMs: 400, endedBy: 'caller', endReason: 'caller hung up' })).toMatchObject({ abandoned: false });
  });

  it('leaves calls a machine answered out of the rate', () => {
    expect(abandonmentOf({ ...live, answeredBy: 'machine', firstAudioMs: null })).toEqual({ counts: false });
  });
});

describe('the 3% cap', () => {
  it('computes the rate and its state', () => {
    expect(abandonmentPercent(0, 0)).toBe(0);
    expect(abandonmentPercent(200, 5)).toBe(2.5);
    expect(abandonmentState(2.49)).toBe('ok');
    expect(abandonmentState(2.5)).toBe('slowed');
    expect(abandonmentState(ABANDON_CAP_PERCENT)).toBe('capped');
  });

  it('keeps full concurrency below 2.5%, lowers it toward one near the cap, and allows none at the cap', () => {
    expect(concurrencyUnderAbandonment(10, 2.4)).toBe(10);
    expect(concurrencyUnderAbandonment(10, 2.5)).toBe(10);
    expect(concurrencyUnderAbandonment(10, 2.75)).toBe(5);
    expect(concurrencyUnderAbandonment(10, 2.7)).toBe(6);
    expect(concurrencyUnderAbandonment(10, 2.99)).toBe(1);
    expect(concurrencyUnderAbandonment(10, 3)).toBe(0);
    expect(concurrencyUnderAbandonment(10, 12)).toBe(0);
  });
});
