import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/contracts';
import { hasEspeak } from './espeak';
import { openHarness, type AnalyticsHarness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] angry simulated caller: espeak-ng is not installed (apt-get install espeak-ng)');
}

/**
 * The "gets-angry" persona on the simulated carrier: calm first, then louder, faster and annoyed,
 * through the whole engine. The live meter must reach frustrated and the frustration alert fire.
 */
describe.runIf(espeak)('a simulated caller who becomes angry', () => {
  let h: AnalyticsHarness;
  const events: EngineEvent[] = [];
  beforeAll(async () => {
    h = await openHarness({ realClock: true });
    h.client.onAny((event) => events.push(event));
  });
  afterAll(async () => h?.close());

  it('drives the emotion meter to frustrated and raises the alert', async () => {
    const campaign = await h.client.call('campaigns.create', {
      name: 'Renewals',
      questions: ['Would you like to renew your plan?', 'Which day suits you?', 'Morning or afternoon?', 'Shall I send the details by email?'],
      emotion: { enabled: true, frustrationTurns: 2, offerHuman: true, slowDown: true },
    });
    const { callId } = await h.client.call('voice.testCall', { campaignId: campaign.id, persona: 'gets-angry' });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the call did not end within 100 s')), 100_000);
      const check = setInterval(() => {
        if (events.some((e) => e.name === 'call.analyzed' && e.payload.callId === callId)) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 200);
    });
    const readings = events.filter((e): e is Extract<EngineEvent, { name: 'call.emotion' }> => e.name === 'call.emotion' && e.payload.callId === callId).map((e) => e.payload);
    const alerts = events.filter((e) => e.name === 'call.frustration' && e.payload.callId === callId);
    console.log(`[emotion] angry caller: ${readings.map((r) => `${r.label}/${r.smoothed.label} arousal ${r.arousal.toFixed(2)}`).join(' -> ')}`);
    expect(readings.length).toBeGreaterThanOrEqual(4);
    expect(readings[0]!.label).not.toBe('frustrated');
    expect(readings.some((r) => r.smoothed.label === 'frustrated')).toBe(true);
    // Louder and faster lines read as more aroused than the calm opening.
    const angryArousal = Math.max(...readings.slice(2).map((r) => r.arousal));
    expect(angryArousal).toBeGreaterThan(readings[0]!.arousal);
    expect(alerts).toHaveLength(1);
  }, 120_000);
});
