import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallAnalysis, type EngineEvent, type TurnEmotion } from '../../../electron/contracts';
import { hasEspeak } from './espeak';
import { openHarness, type AnalyticsHarness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] live-call test: espeak-ng is not installed (apt-get install espeak-ng)');
}

/**
 * A test call through the whole engine: the voice pipeline on the simulated carrier, a persona
 * speaking through espeak-ng. The engine's call intelligence reads each caller turn live (words
 * and the inbound audio) and analyses the call when it ends, without being asked.
 */
describe.runIf(espeak)('a simulated call through the engine', () => {
  let h: AnalyticsHarness;
  const events: EngineEvent[] = [];
  beforeAll(async () => {
    h = await openHarness({ realClock: true });
    h.client.onAny((event) => events.push(event));
  });
  afterAll(async () => h?.close());

  it('shows emotion live as the caller speaks and stores a full analysis when the call ends', async () => {
    const campaign = await h.client.call('campaigns.create', {
      name: 'Spring service reminder',
      questions: ['Would you like to book your spring service?'],
      emotion: { enabled: true, frustrationTurns: 1, offerHuman: true, slowDown: true },
    });
    const { callId } = await h.client.call('voice.testCall', { campaignId: campaign.id, persona: 'do-not-call' });
    const analysis = await new Promise<CallAnalysis>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no analysis within 90 s; events: ${events.map((e) => e.name).join(', ')}`)), 90_000);
      const off = h.client.on('call.analyzed', (a) => {
        if (a.callId !== callId) return;
        clearTimeout(timer);
        off();
        resolve(a);
      });
    });

    const names = events.filter((e) => (e.payload as { callId?: string }).callId === callId).map((e) => e.name);
    const readings = events.filter((e): e is Extract<EngineEvent, { name: 'call.emotion' }> => e.name === 'call.emotion' && e.payload.callId === callId).map((e) => e.payload);
    const callerTurns = events.filter((e) => e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'caller');
    console.log(`[emotion] live call events: ${names.join(' -> ')}`);
    // One live reading per caller turn, before the call ended, each from words and voice.
    expect(callerTurns.length).toBeGreaterThanOrEqual(1);
    expect(readings.map((r) => r.seq)).toEqual(callerTurns.map((t) => (t.payload as { seq: number }).seq));
    expect(names.indexOf('call.emotion')).toBeLessThan(names.indexOf('call.ended'));
    for (const reading of readings) {
      expect(reading.voice).not.toBeNull();
      expect(reading.voice!.durationMs).toBeGreaterThan(300);
    }
    expect(await h.client.call('emotion.track', { callId })).toEqual(readings satisfies TurnEmotion[]);

    // The analysis came by itself after call.ended, and is complete.
    expect(names.indexOf('call.analyzed')).toBeGreaterThan(names.indexOf('call.ended'));
    expect(CallAnalysis.parse(analysis)).toEqual(analysis);
    expect(analysis).toMatchObject({ callId, campaignId: campaign.id, outcome: 'dnc_request', method: 'rules', nextAction: { kind: 'remove_from_list' } });
    expect(analysis.summary.length).toBeGreaterThan(10);
    expect(await h.client.call('analysis.get', { callId })).toEqual(analysis);
  }, 120_000);
});

describe.runIf(espeak)('post-call analysis of a finished simulated call', () => {
  let h: AnalyticsHarness;
  beforeAll(async () => {
    h = await openHarness({ realClock: true });
  });
  afterAll(async () => h?.close());

  it('answers every campaign question from the scripted flow and fills every field (rule-based path)', async () => {
    const questions = ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'];
    const campaign = await h.client.call('campaigns.create', { name: 'Northside Auto', questions });
    const analysed = new Promise<CallAnalysis>((resolve) => h.client.on('call.analyzed', resolve));
    const { callId } = await h.client.call('voice.testCall', { campaignId: campaign.id, persona: 'cooperative', contactName: 'Jo Smith' });
    const analysis = await Promise.race([analysed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no analysis within 90 s')), 90_000))]);
    console.log(`[analysis] ${JSON.stringify(analysis)}`);
    expect(analysis.callId).toBe(callId);
    expect(CallAnalysis.parse(analysis)).toEqual(analysis);
    expect(analysis.answers).toEqual([
      { question: questions[0], answer: 'Yes, that sounds good.' },
      { question: questions[1], answer: 'Tuesday works best for me.' },
      { question: questions[2], answer: 'Mornings, please.' },
    ]);
    expect(analysis).toMatchObject({ method: 'rules', outcome: 'interested', leadScore: { interest: 'high' }, nextAction: { kind: 'send_info' } });
    // A test call has no contact record, so the summary names no one.
    expect(analysis.summary).toMatch(/^The contact was interested\. .*Answered 3 of 3 questions\./);
    expect(analysis.csat).toBeGreaterThan(3);
    expect(analysis.dominantEmotion).toBe('happy');
  }, 120_000);
});
