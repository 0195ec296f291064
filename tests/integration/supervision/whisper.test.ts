import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseResponse, startFakeHttpServer, type FakeHttpServer } from '../adapters/fake-http-server';
import { answeredCall, DANA, hasEspeak, heartbeats, is, openHarness, waitForEvent, type Harness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] whisper tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

/** Everything the agent said on a call, as the caller heard it (call.turn) and as stored. */
async function agentWords(h: Harness, callId: string): Promise<string> {
  const live = h.events.flatMap((e) => (e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'agent' ? [e.payload.text] : []));
  const stored = h.engine.context.store.sqlite.prepare("select text from transcript_turns where call_id = ? and speaker = 'agent'").all(callId) as Array<{ text: string }>;
  return [...live, ...stored.map((r) => r.text)].join(' | ');
}

async function endAndWait(h: Harness, callId: string): Promise<void> {
  await h.as(DANA).call('supervision.endCall', { callId }).catch(() => undefined);
  await waitForEvent(h, is('call.ended', (p) => p.callId === callId), 20_000);
}

describe.runIf(espeak)('a whisper never reaches the caller: scripted agent', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => h?.close());

  it('refuses free text before sending, and turns a named move into the script’s next step', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    try {
      const refused = await h.as(DANA).call('supervision.whisper', { callId, text: 'We can also offer a free car wash.' });
      expect(refused.delivered).toBe(false);
      expect(refused.detail).toContain('never says a whisper');
      // A refused whisper claims no control of the call.
      expect((await h.client.call('supervision.board', {})).find((c) => c.callId === callId)?.controller).toBeNull();

      const moved = await h.as(DANA).call('supervision.whisper', { callId, text: 'Skip to the morning or afternoon question' });
      expect(moved).toEqual({ delivered: true, detail: 'The scripted agent will ask question 3 next: "Morning or afternoon?"' });
      // The caller answers the first question; the agent goes straight to the third.
      const next = await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.seq > 0), 30_000);
      expect(next.payload.text).toContain('Morning or afternoon?');
      expect(next.payload.text).not.toContain('Which weekday');
      await endAndWait(h, callId);
      const said = await agentWords(h, callId);
      expect(said).toContain('Morning or afternoon?');
      expect(said).not.toMatch(/car wash|skip to/i);
      const log = (await h.engine.context.store.sqlite.prepare("select data from call_events where call_id = ? and kind = 'supervisor.whisper'").all(callId)) as Array<{ data: string }>;
      expect(log.map((r) => JSON.parse(r.data) as { delivered: boolean }).map((d) => d.delivered)).toEqual([false, true]);
    } finally {
      stop();
    }
  }, 60_000);
});

describe.runIf(espeak)('a whisper never reaches the caller: language-model agent', () => {
  let h: Harness;
  let model: FakeHttpServer;
  const reply = () => sseResponse([{ data: { choices: [{ delta: { content: 'Okay, noted.' } }] } }, { data: '[DONE]' }]);

  beforeAll(async () => {
    model = await startFakeHttpServer();
    for (let i = 0; i < 20; i++) model.next(reply());
    h = await openHarness({ voice: { engines: { llm: { kind: 'openai-compatible', baseUrl: `${model.url}/v1/`, model: 'test-model', serviceName: 'Test model' } } } });
  });
  afterAll(async () => {
    await h?.close();
    await model?.close();
  });

  it('gives the whisper to the model as guidance for its next reply, never as speech', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    try {
      const result = await h.as(DANA).call('supervision.whisper', { callId, text: 'We can also offer a free car wash.' });
      expect(result).toEqual({ delivered: true, detail: 'The agent takes this into account in its next reply; the caller does not hear it' });
      await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.text.includes('Okay, noted.')), 30_000);
      await endAndWait(h, callId);
      const asked = JSON.stringify(model.requests.map((r) => r.body));
      expect(asked).toContain('A supervisor whispers (the caller cannot hear this): We can also offer a free car wash.');
      expect(await agentWords(h, callId)).not.toMatch(/car wash/i);
    } finally {
      stop();
    }
  }, 60_000);
});
