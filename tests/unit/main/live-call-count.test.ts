import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/contracts';
import { LiveCallCount, liveCallsLabel } from '../../../electron/main/live-call-count';

const started = (callId: string) => ({ name: 'call.started', payload: { callId, campaignId: null, contactId: null, agent: 'scripted', engines: {} } }) as unknown as EngineEvent;
const ended = (callId: string) => ({ name: 'call.ended', payload: { callId } }) as unknown as EngineEvent;

describe('the tray\'s count of calls in progress', () => {
  it('follows starts and ends, counts a repeated event once, ignores other events', () => {
    const count = new LiveCallCount();
    expect(count.onEvent(started('a'))).toBe(true);
    expect(count.onEvent(started('b'))).toBe(true);
    expect(count.onEvent(started('b'))).toBe(false);
    expect(count.onEvent({ name: 'line.state', payload: {} } as unknown as EngineEvent)).toBe(false);
    expect(count.size).toBe(2);
    expect(count.onEvent(ended('a'))).toBe(true);
    expect(count.onEvent(ended('a'))).toBe(false);
    expect(count.size).toBe(1);
    expect(liveCallsLabel(count.size)).toBe('Parley: 1 call in progress');
    expect(liveCallsLabel(0)).toBe('Parley: no calls in progress');
    expect(liveCallsLabel(12)).toBe('Parley: 12 calls in progress');
  });
});
