import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMOTION_SETTINGS, type FrustrationAlert } from '../../../electron/contracts';
import { CallEmotionService } from '../../../electron/engine/emotion/call-emotion-service';
import { SLOWER_SPEAKING_RATE } from '../../../electron/engine/emotion/frustration';
import { EventBus } from '../../../electron/engine/event-bus';
import { CALM, hasEspeak, speak } from './espeak';
import { openHarness, type AnalyticsHarness } from './harness';

/** A stand-in for the voice pipeline's session: its inbound audio fan-out and the channel that steers the agent. */
function fakeSession() {
  const taps = new Set<(frame: Int16Array, direction: 'inbound' | 'outbound', sampleRate: number) => void>();
  const whispers: string[] = [];
  const rates: number[] = [];
  return {
    whispers,
    rates,
    play(audio: Int16Array, sampleRate: number) {
      for (let i = 0; i < audio.length; i += sampleRate / 50) for (const tap of taps) tap(audio.subarray(i, i + sampleRate / 50), 'inbound', sampleRate);
    },
    recording: { add: (tap: (frame: Int16Array, direction: 'inbound' | 'outbound', sampleRate: number) => void) => (taps.add(tap), () => taps.delete(tap)) },
    steerAgent: (text: string) => (whispers.push(text), true),
    setSpeakingRate: (rate: number) => void rates.push(rate),
  };
}

describe('call emotion service on the engine bus', () => {
  let h: AnalyticsHarness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => h?.close());

  async function run(agent: 'scripted' | 'llm', withAudio: boolean) {
    const bus = new EventBus();
    const session = fakeSession();
    const alerts: FrustrationAlert[] = [];
    bus.subscribe((e) => e.name === 'call.frustration' && alerts.push(e.payload));
    const service = new CallEmotionService({
      store: h.engine.context.store,
      events: bus,
      clock: h.clock,
      logger: pino({ level: 'silent' }),
      settingsFor: async () => ({ ...DEFAULT_EMOTION_SETTINGS, frustrationTurns: 2 }),
      audio: { session: () => session },
    });
    service.start();
    const callId = `svc-${agent}`;
    h.sqlite.prepare("INSERT INTO calls (id, direction, state, created_at) VALUES (?, 'outbound', 'in-progress', 0)").run(callId);
    bus.emit('call.started', { callId, campaignId: null, contactId: null, agent, engines: { stt: 's', llm: null, tts: 't', vad: 'v', telephony: 'sim' } });
    bus.emit('call.answered', { callId, by: 'human' });
    await new Promise((r) => setTimeout(r, 30));
    const lines = ['Hello, who is this?', 'This is ridiculous, stop calling me!', 'I am sick and tired of these calls!'];
    for (const [i, text] of lines.entries()) {
      if (withAudio) session.play(speak(text, CALM, 8_000), 8_000);
      bus.emit('call.turn', { callId, seq: i * 2 + 1, speaker: 'caller', text, interrupted: false, startedAt: 0, endedAt: 0 });
    }
    bus.emit('call.ended', { callId, campaignId: null, outcome: 'completed', detail: '', durationMs: 1 });
    await service.settled(callId);
    await service.dispose();
    return { session, alerts, track: await h.client.call('emotion.track', { callId }) };
  }

  it('reads every caller turn with its audio and whispers the apology line to a scripted agent', async () => {
    const espeak = hasEspeak();
    const { session, alerts, track } = await run('scripted', espeak);
    expect(track.map((t) => t.seq)).toEqual([1, 3, 5]);
    if (espeak) expect(track.every((t) => t.voice !== null && t.voice.durationMs > 300)).toBe(true);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ seq: 5, turns: 2 });
    expect(session.whispers).toEqual(["I'm sorry, I can hear this has been frustrating. I'll keep it short. Would you like me to put you through to a colleague?"]);
    // The campaign asks to slow down: the agent's voice speaks slower from its next sentence.
    expect(session.rates).toEqual([SLOWER_SPEAKING_RATE]);
  }, 30_000);

  it('gives a language-model agent an instruction instead of a line to say', async () => {
    const { session } = await run('llm', false);
    expect(session.whispers).toHaveLength(1);
    expect(session.whispers[0]).toMatch(/^The caller sounds frustrated\. .*Offer to transfer them to a human colleague/);
  }, 30_000);
});
