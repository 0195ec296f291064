import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMOTION_SETTINGS, ParleyError, type CallAnalysis, type Dashboard } from '../../../electron/contracts';
import { CallEmotionMonitor } from '../../../electron/engine/emotion/call-emotion-monitor';
import { at, insertAttempt, insertContact, insertCost, insertLatency, openHarness, type AnalyticsHarness, type AttemptRow } from './harness';

const QUESTIONS = ['Would you like to book your spring service?', 'Which weekday suits you best?'];
let h: AnalyticsHarness;
let campaignId: string;
const analysed: CallAnalysis[] = [];
let callerLines = 0;

/** A small campaign whose every figure can be counted by hand (see the expectations below). */
beforeAll(async () => {
  h = await openHarness();
  campaignId = (await h.client.call('campaigns.create', { name: 'Spring service', questions: QUESTIONS })).id;
  const other = (await h.client.call('campaigns.create', { name: 'Other campaign' })).id;
  for (const [id, name, phone] of [['c1', 'Ann', '+15550000001'], ['c2', 'Bob', '+15550000002'], ['c3', 'Cy', '+15550000003'], ['c4', 'Di', '+15550000004']]) {
    insertContact(h, id!, name!, phone!);
  }
  const attempts: AttemptRow[] = [
    { id: 'a1', campaignId, contactId: 'c1', attempt: 1, variant: 'A', outcome: 'no-answer', createdAt: at(5, 9, 10) },
    {
      id: 'a2', campaignId, contactId: 'c1', attempt: 2, variant: 'A', outcome: 'completed', createdAt: at(6, 10, 20),
      lines: [
        ['agent', 'Hello, this is Sam from Northside Auto, an automated assistant.'],
        ['caller', 'Oh great, hello!'],
        ['agent', 'Would you like to book your spring service?'],
        ['caller', "Yes please, that sounds wonderful. It's my decision and I can do it next week."],
        ['agent', 'Which weekday suits you best?'],
        ['caller', 'Tuesday. Go ahead and book it, thank you so much!'],
      ],
    },
    {
      id: 'a3', campaignId, contactId: 'c2', attempt: 1, variant: 'B', outcome: 'completed', createdAt: at(5, 10, 40),
      lines: [['agent', 'Would you like to book your spring service?'], ['caller', "No thanks, I'm not interested."], ['agent', 'Understood, goodbye.'], ['caller', 'Bye.']],
    },
    { id: 'a4', campaignId, contactId: 'c3', attempt: 1, variant: 'A', outcome: 'voicemail', createdAt: at(5, 11, 5), lines: [['agent', 'Hi, this is Sam from Northside Auto.']] },
    { id: 'a5', campaignId, contactId: 'c3', attempt: 2, variant: 'A', outcome: 'busy', createdAt: at(6, 17, 0) },
    {
      id: 'a6', campaignId, contactId: 'c3', attempt: 3, variant: 'A', outcome: 'completed', createdAt: at(7, 17, 30),
      lines: [['agent', 'Would you like to book your spring service?'], ['caller', 'Maybe. Tell me more and send me the details by email.'], ['agent', 'Will do.'], ['caller', 'Thanks.']],
    },
    {
      id: 'a7', campaignId, contactId: 'c4', attempt: 1, variant: 'B', outcome: 'completed', createdAt: at(15, 10, 0),
      lines: [['agent', 'Hello, is this Di?'], ['caller', 'Stop calling me, this is a complete waste of my time!'], ['agent', 'I am sorry.'], ['caller', 'I said stop calling!']],
    },
    { id: 'a8', campaignId, contactId: 'c2', attempt: 2, variant: 'B', outcome: 'no-answer', createdAt: at(15, 18, 0) },
    { id: 'x1', campaignId: other, contactId: 'c4', attempt: 1, variant: 'A', outcome: 'completed', createdAt: at(6, 10, 0), lines: [['caller', 'Book it!']] },
  ];
  const seen: CallAnalysis[] = [];
  h.client.on('call.analyzed', (analysis) => seen.push(analysis));
  for (const attempt of attempts) {
    insertAttempt(h, attempt);
    insertCost(h, attempt.id, attempt.campaignId, 0.02, attempt.createdAt + 60_000);
    if (!attempt.lines) continue;
    const monitor = CallEmotionMonitor.forEngine(h.engine.context, { callId: attempt.id, campaignId: attempt.campaignId, settings: DEFAULT_EMOTION_SETTINGS });
    for (const [seq, [speaker, text]] of attempt.lines.entries()) {
      if (speaker !== 'caller') continue;
      h.clock.set(attempt.createdAt + 15_000 + seq * 5_000);
      await monitor.observeCallerTurn({ seq, text });
      if (attempt.campaignId === campaignId) callerLines += 1;
    }
    await monitor.dispose();
    analysed.push(await h.client.call('analysis.run', { callId: attempt.id }));
  }
  expect(seen.map((a) => a.callId)).toEqual(analysed.map((a) => a.callId));
  for (const [i, total] of [1000, 1200, 1400, 3000].entries()) insertLatency(h, 'a2', at(6, 10, 21 + i), { endpointMs: 400, sttMs: 100 + i, totalMs: total });
  insertLatency(h, 'a2', at(6, 10, 30), { totalMs: 'broken' } as unknown as Record<string, number>);
  insertLatency(h, 'x1', at(6, 10, 1), { totalMs: 99_999 });
});

afterAll(async () => h?.close());

describe('campaign dashboard over the store', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await h.client.call('analytics.dashboard', { campaignId });
  });

  it('counts the funnel from dial attempts and stored analyses', () => {
    expect(d.funnel).toEqual({ dialed: 8, answered: 4, conversation: 4, qualified: 1, converted: 1 });
    expect(d.quality.analysed).toBe(5); // 4 answered + the voicemail, which is analysed too
    expect(d.outcomes).toEqual([
      { outcome: 'converted', calls: 1 },
      { outcome: 'interested', calls: 1 },
      { outcome: 'not_interested', calls: 1 },
      { outcome: 'voicemail', calls: 1 },
      { outcome: 'dnc_request', calls: 1 },
    ]);
  });

  it('reports attempts per contact, best hours and the A/B comparison', () => {
    expect(d.attemptsPerContact).toEqual({
      contacts: 4,
      average: 2,
      histogram: [{ attempts: 1, contacts: 1 }, { attempts: 2, contacts: 2 }, { attempts: 3, contacts: 1 }, { attempts: 4, contacts: 0 }, { attempts: 5, contacts: 0 }],
    });
    expect(d.bestHours).toEqual([
      { hour: 9, dialed: 1, answered: 0, converted: 0, answerRate: 0, conversionRate: null },
      { hour: 10, dialed: 3, answered: 3, converted: 1, answerRate: 1, conversionRate: 0.3333 },
      { hour: 11, dialed: 1, answered: 0, converted: 0, answerRate: 0, conversionRate: null },
      { hour: 17, dialed: 2, answered: 1, converted: 0, answerRate: 0.5, conversionRate: 0 },
      { hour: 18, dialed: 1, answered: 0, converted: 0, answerRate: 0, conversionRate: null },
    ]);
    expect(d.variants.rows).toEqual([
      { variant: 'A', dialed: 5, answered: 2, converted: 1, conversionRate: 0.5 },
      { variant: 'B', dialed: 3, answered: 2, converted: 0, conversionRate: 0 },
    ]);
    // 1/2 vs 0/2: pooled 0.25, z = 0.5 / sqrt(0.25 * 0.75 * 1) = 1.155, p = 0.248.
    expect(d.variants.comparison).toMatchObject({ a: 'A', b: 'B', z: 1.155, significant: false });
    expect(d.variants.comparison!.pValue).toBeCloseTo(0.248, 3);
    expect(d.variants.comparison!.note).toMatch(/No significant difference yet/);
  });

  it('shows the emotion distribution, latency percentiles and cost per call', () => {
    expect(d.emotions.reduce((sum, e) => sum + e.turns, 0)).toBe(callerLines);
    expect(d.emotions.find((e) => e.label === 'happy')!.turns).toBeGreaterThanOrEqual(2);
    expect(d.emotions.find((e) => e.label === 'frustrated')!.turns).toBeGreaterThanOrEqual(1);
    const total = d.latency.find((l) => l.stage === 'total')!;
    // 1000, 1200, 1400, 3000: median 1300; p95 at index 2.85 -> 1400 + 0.85 * 1600 = 2760. The other campaign's 99,999 is not here.
    expect(total).toEqual({ stage: 'total', samples: 4, p50Ms: 1300, p95Ms: 2760 });
    expect(d.latency.find((l) => l.stage === 'llm')).toEqual({ stage: 'llm', samples: 0, p50Ms: null, p95Ms: null });
    expect(d.cost).toMatchObject({ calls: 8, totalUsd: 0.16, perCallUsd: 0.02, perReachedUsd: 0.04, perConversionUsd: 0.16 });
    // Per day: the days add up to the total.
    expect(d.cost!.byDay.length).toBeGreaterThan(0);
    expect(d.cost!.byDay.reduce((sum, day) => sum + day.totalUsd, 0)).toBeCloseTo(0.16, 6);
    expect(d.cost!.byDay.every((day) => /^\d{4}-\d{2}-\d{2}$/.test(day.day))).toBe(true);
  });

  it('filters by date in the console time zone', async () => {
    const early = await h.client.call('analytics.dashboard', { campaignId, from: '2026-01-05', to: '2026-01-10' });
    expect(early.funnel).toEqual({ dialed: 6, answered: 3, conversation: 3, qualified: 1, converted: 1 });
    // At UTC-11, 10:00 UTC on the 15th is 23:00 on the 14th: inside a range that ends with the 14th.
    const shifted = await h.client.call('analytics.dashboard', { campaignId, from: '2026-01-14', to: '2026-01-14', tzOffsetMinutes: -11 * 60 });
    expect(shifted.funnel.dialed).toBe(1);
    expect(shifted.bestHours).toEqual([{ hour: 23, dialed: 1, answered: 1, converted: 0, answerRate: 1, conversionRate: 0 }]);
  });

  it('answers an unknown campaign with zeros and refuses impossible ranges clearly', async () => {
    const empty = await h.client.call('analytics.dashboard', { campaignId: 'no-such-campaign' });
    expect(empty.funnel).toEqual({ dialed: 0, answered: 0, conversation: 0, qualified: 0, converted: 0 });
    expect(empty.variants.comparison).toBeNull();
    expect(empty.cost).toBeNull();
    await expect(h.client.call('analytics.dashboard', { campaignId, from: '2026-01-10', to: '2026-01-01' })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(h.client.call('analytics.dashboard', { campaignId, from: '2026-13-01' })).rejects.toBeInstanceOf(ParleyError);
    await expect(h.client.call('analytics.dashboard', { campaignId, from: 'last week' } as never)).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});

describe('CSV export', () => {
  it('exports one row per dial attempt with its result', async () => {
    const { csv, rows, filename } = await h.client.call('analytics.exportCsv', { campaignId, kind: 'calls' });
    expect(rows).toBe(8);
    expect(filename).toMatch(/^parley-calls-.*-all\.csv$/);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('call_id,dialed_at,contact,phone,attempt,variant,dial_result,answered_at,ended_at,duration_s,outcome,qualification,csat');
    expect(lines).toHaveLength(9);
    expect(lines.find((l) => l.startsWith('a2,'))).toMatch(/^a2,2026-01-06T10:20:00.000Z,Ann,\+15550000001,2,A,completed,.*,110,converted,/);
  });

  it('exports the analyses with one column per campaign question', async () => {
    const { csv, rows } = await h.client.call('analytics.exportCsv', { campaignId, kind: 'results', from: '2026-01-06', to: '2026-01-06' });
    expect(rows).toBe(1);
    const [header, row] = csv.trim().split('\n');
    expect(header).toContain('Q1: Would you like to book your spring service?,Q2: Which weekday suits you best?');
    expect(row).toContain('"Yes please, that sounds wonderful. It\'s my decision and I can do it next week."');
    expect(row).toContain('Tuesday. Go ahead and book it, thank you so much!');
  });
});
