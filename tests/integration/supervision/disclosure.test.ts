import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCLOSURE_LINE } from '../../../electron/contracts';
import { answeredCall, DANA, hasEspeak, heartbeats, is, openHarness, sleep, waitForEvent, type Harness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] disclosure tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

describe.runIf(espeak)('the disclosure is finished before anything else', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => h?.close());

  it('tells the person who takes over mid-disclosure what to read, and the AI says it whole on hand back', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    try {
      await waitForEvent(h, is('call.activity', (p) => p.callId === callId && p.agent === 'speaking'), 15_000);
      await h.as(DANA).call('supervision.takeover', { callId });
      const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
      expect(card.disclosureOwed).toBe(DISCLOSURE_LINE);
      const log = (await h.client.call('supervision.call', { callId })).log;
      expect(log.find((e) => e.action === 'takeover')?.detail).toContain(`Disclosure not finished: read it to the caller ("${DISCLOSURE_LINE}")`);
      // The opening was cut: what the caller heard stops short of the whole disclosure.
      const opening = await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.seq === 0), 10_000);
      expect(opening.payload.interrupted).toBe(true);
      expect(opening.payload.text).not.toContain(DISCLOSURE_LINE);

      await sleep(2_500);
      await h.as(DANA).call('supervision.handBack', { callId });
      expect((await h.client.call('supervision.board', {})).find((c) => c.callId === callId)?.disclosureOwed ?? null).toBeNull();
      const resumed = await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.text.startsWith('Thank you for holding.')), 30_000);
      expect(resumed.payload.text).toBe(`Thank you for holding. ${DISCLOSURE_LINE} Would you like to book your spring service?`);
      await h.as(DANA).call('supervision.endCall', { callId });
    } finally {
      stop();
    }
  }, 60_000);
});
