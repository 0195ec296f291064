import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallAnalysis, DEFAULT_EMOTION_SETTINGS } from '../../../electron/contracts';
import { createLlamaLanguageModel, type LlamaLanguageModel } from '../../../electron/engine/adapters/llm/llama';
import { CallAnalysisService, CRM_CALL_SUMMARY } from '../../../electron/engine/analysis/analysis-service';
import { CallEmotionMonitor } from '../../../electron/engine/emotion/call-emotion-monitor';
import { fixture } from '../../support/fixtures';
import { at, insertAttempt, insertContact, openHarness, type AnalyticsHarness } from './harness';

const QUESTIONS = ['Did the webinar answer your questions?', 'Would a 20-minute demo be useful?', 'When are you planning to decide?'];

/** The transcript the voice pipeline stores for a finished simulated call of the webinar campaign. */
const FINISHED_CALL: Array<['agent' | 'caller', string]> = [
  ['agent', 'Hi, this is Alex, an automated assistant from Brightline Software. This call may be recorded.'],
  ['caller', 'Hi Alex, yes, I attended the webinar last week.'],
  ['agent', 'Great. Did the webinar answer your questions?'],
  ['caller', 'Mostly, it was really helpful. I am the owner, so I decide on tools like this.'],
  ['agent', 'Would a 20-minute demo be useful?'],
  ['caller', 'Yes, definitely. We have a budget of about $5,000 for this.'],
  ['agent', 'When are you planning to decide?'],
  ['caller', 'In the next month or two. Go ahead and book the demo for Thursday.'],
  ['agent', 'Booked for Thursday. Thank you, goodbye!'],
];

let h: AnalyticsHarness;
let campaignId: string;

beforeAll(async () => {
  h = await openHarness();
  campaignId = (await h.client.call('campaigns.create', { name: 'Webinar follow-up', questions: QUESTIONS })).id;
  insertContact(h, 'kim', 'Kim Lee', '+15550002000');
  insertAttempt(h, { id: 'call-webinar', campaignId, contactId: 'kim', attempt: 1, variant: 'B', outcome: 'completed', createdAt: at(19, 15), lines: FINISHED_CALL });
  const monitor = CallEmotionMonitor.forEngine(h.engine.context, { callId: 'call-webinar', campaignId, settings: DEFAULT_EMOTION_SETTINGS });
  for (const [seq, [speaker, text]] of FINISHED_CALL.entries()) if (speaker === 'caller') await monitor.observeCallerTurn({ seq, text });
  await monitor.dispose();
});
afterAll(async () => h?.close());

describe('post-call analysis, rule-based path', () => {
  it('fills every field of a finished simulated call, stores it and queues it once for CRM sync', async () => {
    const analysis = await h.client.call('analysis.run', { callId: 'call-webinar' });
    expect(CallAnalysis.parse(analysis)).toEqual(analysis);
    expect(analysis).toMatchObject({
      callId: 'call-webinar',
      campaignId,
      contactId: 'kim',
      outcome: 'converted',
      method: 'rules',
      model: null,
      leadScore: {
        interest: 'high',
        budget: { status: 'confirmed', detail: '$5,000' },
        timeline: { horizon: 'months', detail: 'next month' },
        decisionMaker: 'yes',
      },
      nextAction: { kind: 'book_meeting' },
    });
    expect(analysis.answers.map((a) => a.question)).toEqual(QUESTIONS);
    expect(analysis.answers.every((a) => a.answer && a.answer.length > 0)).toBe(true);
    expect(analysis.leadScore.qualification).toBeGreaterThanOrEqual(0.8);
    expect(analysis.csat).toBeGreaterThanOrEqual(3.5);
    expect(analysis.summary).toContain('Kim Lee agreed to go ahead');
    expect(analysis.dominantEmotion).not.toBeNull();

    expect(await h.client.call('analysis.get', { callId: 'call-webinar' })).toEqual(analysis);
    expect(await h.client.call('analysis.forContact', { contactId: 'kim' })).toEqual([analysis]);

    const outbox = () => h.sqlite.prepare('SELECT kind, idempotency_key, payload, attempts, sent_at FROM outbox').all() as Array<Record<string, unknown>>;
    expect(outbox()).toEqual([{ kind: CRM_CALL_SUMMARY, idempotency_key: 'call-analysis:call-webinar', payload: JSON.stringify(analysis), attempts: 0, sent_at: null }]);
    // A re-run replaces the stored analysis and the pending CRM message; it never queues a duplicate.
    h.clock.advance(60_000);
    const again = await h.client.call('analysis.run', { callId: 'call-webinar' });
    expect(again.createdAt).not.toBe(analysis.createdAt);
    expect(outbox()).toHaveLength(1);
    expect(JSON.parse(outbox()[0]!.payload as string).createdAt).toBe(again.createdAt);
    // Once the CRM has it, a later re-run is sent as a correction of its own, keyed by its time.
    h.sqlite.prepare('UPDATE outbox SET sent_at = 1').run();
    h.clock.advance(60_000);
    const corrected = await h.client.call('analysis.run', { callId: 'call-webinar' });
    expect(outbox().map((m) => m.idempotency_key)).toEqual(['call-analysis:call-webinar', `call-analysis:call-webinar@${corrected.createdAt}`]);
  });

  it('refuses calls that are still running or do not exist, clearly', async () => {
    h.sqlite.prepare("INSERT INTO calls (id, campaign_id, contact_id, direction, state, created_at) VALUES ('live', ?, 'kim', 'outbound', 'in-progress', ?)").run(campaignId, at(19, 16));
    await expect(h.client.call('analysis.run', { callId: 'live' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.client.call('analysis.run', { callId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await h.client.call('analysis.get', { callId: 'nope' })).toBeNull();
  });
});

const modelPath = fixture('models/llama-2-tiny-random.gguf');
if (!modelPath) console.warn('[not run] LLM post-call analysis: llama-2-tiny-random.gguf is missing');

describe.runIf(Boolean(modelPath))('post-call analysis, LLM path on the tiny random GGUF', () => {
  let llm: LlamaLanguageModel;
  beforeAll(async () => {
    llm = await createLlamaLanguageModel({ modelPath: modelPath!, threads: 2, gpu: false, contextSize: 4096, maxConversations: 1 });
  }, 60_000);
  afterAll(async () => llm?.dispose());

  it('returns schema-valid JSON that becomes a complete stored analysis', async () => {
    // One question keeps the run short: grammar-constrained decoding of random weights fills every
    // string to its limit at ~15 tokens/s on two CPU cores.
    insertContact(h, 'lee', 'Lee Park', '+15550002001');
    const short = (await h.client.call('campaigns.create', { name: 'One question', questions: [QUESTIONS[1]!] })).id;
    insertAttempt(h, { id: 'call-llm', campaignId: short, contactId: 'lee', attempt: 1, variant: null, outcome: 'completed', createdAt: at(19, 17), lines: FINISHED_CALL.slice(4, 6) });
    const started = performance.now();
    // Random weights say nothing sensible, but the grammar keeps the output inside the schema, so
    // the service takes the LLM path (no fallback to the rules) and stores a contract-valid result.
    const service = new CallAnalysisService({ db: h.engine.context.store.db, clock: h.clock, logger: h.engine.context.logger, events: h.engine.context.events, languageModel: async () => llm });
    const analysis = await service.analyze('call-llm');
    console.log(`[analysis] LLM path on the tiny GGUF took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(analysis.method).toBe('llm');
    expect(analysis.model).toBe(llm.name);
    expect(CallAnalysis.parse(analysis)).toEqual(analysis);
    expect(analysis.answers.map((a) => a.question)).toEqual([QUESTIONS[1]]);
    expect(await h.client.call('analysis.get', { callId: 'call-llm' })).toEqual(analysis);
  }, 120_000);
});
