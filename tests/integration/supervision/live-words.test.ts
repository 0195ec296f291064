import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/contracts';
import { answeredCall, DANA, hasEspeak, is, openHarness, waitForEvent, type Harness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] live words tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

describe.runIf(espeak)('the agent’s words reach the console as they are spoken', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => h?.close());

  it('sends each sentence of the opening as the voice starts it, long before the turn ends', async () => {
    const { callId } = await answeredCall(h);
    const first = await waitForEvent(h, is('call.agent-words', (p) => p.callId === callId), 15_000);
    const firstAt = h.events.indexOf(first);
    // The board's card shows them at once, while the agent is still talking.
    const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
    expect(card.lastLine?.speaker).toBe('agent');
    expect(card.lastLine!.text.startsWith(first.payload.text)).toBe(true);
    expect(h.events.some((e) => e.name === 'call.turn' && e.payload.callId === callId)).toBe(false);
    const turn = await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.seq === 0), 30_000);
    const words = h.events.filter((e): e is Extract<EngineEvent, { name: 'call.agent-words' }> => e.name === 'call.agent-words' && e.payload.callId === callId && e.payload.utterance === first.payload.utterance);
    // Several updates, each a sentence longer, all before the turn; the last one is the whole turn.
    expect(words.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < words.length; i++) expect(words[i]!.payload.text.startsWith(words[i - 1]!.payload.text)).toBe(true);
    expect(firstAt).toBeLessThan(h.events.indexOf(turn));
    expect(words.at(-1)!.payload.text).toBe(turn.payload.text);
    await h.as(DANA).call('supervision.endCall', { callId });
  }, 60_000);
});
