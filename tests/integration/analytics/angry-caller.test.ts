import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrustrationAlert, TurnEmotion } from '../../../electron/contracts';
import { CallEmotionMonitor } from '../../../electron/engine/emotion/call-emotion-monitor';
import { SLOWER_SPEAKING_RATE } from '../../../electron/engine/emotion/frustration';
import { ANGRY, CALM, hasEspeak, speak } from './espeak';
import { at, insertAttempt, insertContact, openHarness, type AnalyticsHarness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI for the simulated angry caller');
  console.warn('[not run] angry-caller test: espeak-ng is not installed (apt-get install espeak-ng)');
}

/** A caller who starts calm and becomes angry: wording and voice (espeak-ng louder, faster, higher) both change. */
const SCRIPT: Array<[text: string, style: typeof CALM]> = [
  ['Hello, yes, this is Dana speaking.', CALM],
  ['I think I already have a service booked, but I am not sure.', CALM],
  ['Okay. What is this about exactly?', CALM],
  ['No! I told you I am not interested. This is ridiculous!', ANGRY],
  ['Stop calling me! This is a complete waste of my time!', ANGRY],
  ['I am sick and tired of these calls!', ANGRY],
];

describe.runIf(espeak)('a simulated caller who becomes angry', () => {
  let h: AnalyticsHarness;
  let campaignId: string;
  beforeAll(async () => {
    h = await openHarness();
    campaignId = (await h.client.call('campaigns.create', { name: 'Renewals', emotion: { enabled: true, frustrationTurns: 2, offerHuman: true, slowDown: true } })).id;
    insertContact(h, 'dana', 'Dana', '+15550001000');
    insertAttempt(h, { id: 'call-angry', campaignId, contactId: 'dana', attempt: 1, variant: null, outcome: 'completed', createdAt: at(19, 10) });
  });
  afterAll(async () => h?.close());

  it('drives the meter to frustrated, raises one alert to the console and tells the agent to change course', async () => {
    const campaign = await h.client.call('campaigns.get', { id: campaignId });
    const meter: TurnEmotion[] = [];
    const alerts: FrustrationAlert[] = [];
    h.client.on('call.emotion', (reading) => meter.push(reading));
    h.client.on('call.frustration', (alert) => alerts.push(alert));
    const monitor = CallEmotionMonitor.forEngine(h.engine.context, { callId: 'call-angry', campaignId, settings: campaign.emotion });

    const guidance = [];
    for (const [i, [text, style]] of SCRIPT.entries()) {
      h.clock.advance(6_000);
      const result = await monitor.observeCallerTurn({ seq: i * 2 + 1, text, audio: speak(text, style), sampleRate: 16_000 });
      guidance.push(result.guidance);
    }
    await monitor.dispose();

    console.log(
      '[emotion] meter: ' +
        meter.map((m) => `${m.label}(v=${m.valence.toFixed(2)} a=${m.arousal.toFixed(2)} voice=${m.voice?.arousal.toFixed(2)} ${m.voice?.energyDb.toFixed(1)}dB ${m.voice?.f0MeanHz}Hz)`).join(' -> '),
    );
    expect(meter).toHaveLength(SCRIPT.length);
    // Calm opening: the voice defines the caller's baseline and nothing reads as frustrated.
    expect(meter.slice(0, 3).every((m) => m.label !== 'frustrated')).toBe(true);
    expect(meter[0]!.voice!.baseline).toBe(true);
    expect(meter[2]!.voice!.arousal).toBeGreaterThan(0.3);
    expect(meter[2]!.voice!.arousal).toBeLessThan(0.7);
    // Louder, faster, higher: the voice alone reads as agitated, and the fused label is frustrated.
    for (const angry of meter.slice(3)) {
      expect(angry.voice!.arousal).toBeGreaterThan(0.75);
      expect(angry.voice!.energyDb).toBeGreaterThan(meter[0]!.voice!.energyDb + 6);
      expect(angry.label).toBe('frustrated');
    }
    expect(meter.at(-1)!.smoothed.label).toBe('frustrated');
    expect(meter.at(-1)!.smoothed.frustration).toBeGreaterThan(0.6);

    // Two frustrated turns in a row (the campaign's setting): one alert, on the fifth caller turn.
    expect(alerts).toEqual([{ callId: 'call-angry', seq: 9, at: meter[4]!.at, turns: 2, frustration: meter[4]!.smoothed.frustration, actions: ['acknowledge', 'slow_down', 'offer_human'] }]);
    expect(guidance.map((g) => g !== null)).toEqual([false, false, false, false, true, false]);
    expect(guidance[4]).toMatchObject({ speakingRate: SLOWER_SPEAKING_RATE, offerHuman: true });

    // Every reading was stored per turn and reads back as the call's track.
    expect(await h.client.call('emotion.track', { callId: 'call-angry' })).toEqual(meter);
  }, 60_000);

  it('does not call an agitated voice with neutral words frustrated', async () => {
    const monitor = CallEmotionMonitor.forEngine(h.engine.context, { callId: 'call-angry', campaignId, settings: (await h.client.call('campaigns.get', { id: campaignId })).emotion });
    for (const [i, text] of ['Hello, this is Dana.', 'Yes, I have a minute.'].entries()) {
      await monitor.observeCallerTurn({ seq: 100 + i, text, audio: speak(text, CALM), sampleRate: 16_000 });
    }
    const loudButNeutral = await monitor.observeCallerTurn({ seq: 102, text: 'My car is the blue one in the driveway.', audio: speak('My car is the blue one in the driveway.', ANGRY), sampleRate: 16_000 });
    await monitor.dispose();
    expect(loudButNeutral.reading.voice!.arousal).toBeGreaterThan(0.75);
    expect(loudButNeutral.reading.label).not.toBe('frustrated');
    expect(loudButNeutral.alert).toBeNull();
  }, 60_000);
});
