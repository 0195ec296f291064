import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredCall, hasEspeak, is, openHarness, waitForEvent, type Harness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] caller alert tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

describe.runIf(espeak)('alerts from what the caller says, on a live call', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => h?.close());

  it('raises "asked not to be called" on the board as the caller says it', async () => {
    const { callId } = await answeredCall(h, 'do-not-call');
    const attention = await waitForEvent(h, is('call.attention', (p) => p.callId === callId && p.raised?.kind === 'do-not-call'), 30_000);
    expect(attention.payload.raised!.message).toContain('do not call me again');
    await waitForEvent(h, is('call.ended', (p) => p.callId === callId), 30_000);
  }, 60_000);
});
