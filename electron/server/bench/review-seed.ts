import type BetterSqlite3 from 'better-sqlite3';
import { seededRandom } from './seeded-random';

const AGENT = [
  'Hello, this is Maya from Northwind calling about your service plan.',
  'I understand. Would a shorter contract work better for you?',
  'We can send the price list by email today.',
  'Our premium plan includes weekend support and a dedicated manager.',
  'Could I ask how many people use the service at your office?',
  'Thank you for your time, have a good day.',
  'Is next Tuesday at ten a good time for a short demo?',
  'The renewal discount is valid until the end of the month.',
];
const CALLER = [
  'I am not sure, what does it cost per month?',
  'We already have a provider but the support is slow.',
  'Please send me the details by email.',
  'I would like to ask about the refund policy.',
  'We are about twelve people in the office.',
  'That sounds interesting, tell me more about the premium plan.',
  'Not interested, please take me off your list.',
  'Can you call me back next week?',
  'The invoice last month was wrong and nobody answered my ticket.',
  'Our warehouse in Rotterdam needs better coverage.',
];
/** Rarer words, so searches hit anything from a handful of calls to thousands. */
const RARE = ['kangaroo', 'photosynthesis', 'Zanzibar', 'harpsichord', 'quinoa', 'tessellation', 'mahogany', 'velociraptor'];

export interface ReviewSeed {
  calls: number;
  turns: number;
  campaigns: string[];
  callIds: string[];
}

/**
 * Seeds `calls` ended calls over several campaigns, each with 6-10 transcript turns (the search
 * index fills by trigger), an analysis for most and a few emotion readings, in one transaction per
 * 5,000 calls.
 */
export function seedReviewCalls(sqlite: BetterSqlite3.Database, options: { calls: number; startMs: number; seed?: number }): ReviewSeed {
  const rand = seededRandom(options.seed ?? 14);
  const campaigns = ['bench-a', 'bench-b', 'bench-c', 'bench-d'];
  const insertCampaign = sqlite.prepare(
    `insert into campaigns (id, name, agent_prompt, questions, status, created_at, updated_at, disclosure, emotion_settings, settings) values (?, ?, '', '[]', 'completed', 0, 0, 1, '{}', '{}')`,
  );
  for (const id of campaigns) insertCampaign.run(id, `Benchmark ${id.slice(-1).toUpperCase()}`);
  const call = sqlite.prepare(
    `insert into calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at, dry_run, line_id)
     values (?, ?, null, ?, 'ended', ?, ?, ?, ?, ?, ?, 'line-1')`,
  );
  const turn = sqlite.prepare('insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values (?, ?, ?, ?, ?, ?, 0)');
  const analysis = sqlite.prepare(
    `insert into call_analysis (call_id, campaign_id, contact_id, call_created_at, created_at, method, model, outcome, summary, answers, qualification, interest, budget, timeline, decision_maker, csat, next_action, dominant_emotion, conversation, qualified, converted)
     values (?, ?, null, ?, ?, 'rules', null, ?, 'The caller asked about the price and the support.', '[]', ?, 'medium', '{}', '{}', 'unknown', 3, '{"kind":"send_info","detail":"Send the price list"}', null, 1, 0, 0)`,
  );
  const emotion = sqlite.prepare(
    `insert into turn_emotions (call_id, campaign_id, seq, at, label, confidence, valence, arousal, text_reading, voice, smoothed_label, smoothed_valence, smoothed_arousal, frustration)
     values (?, ?, ?, ?, ?, 0.8, 0, 0.5, '{}', null, ?, 0, 0.5, ?)`,
  );
  const latency = sqlite.prepare(`insert into call_events (call_id, at, kind, data) values (?, ?, 'turn.latency', ?)`);
  const outcomes = ['completed', 'completed', 'completed', 'voicemail', 'no-answer'];
  const labels = ['neutral', 'happy', 'confused', 'frustrated'];
  const callIds: string[] = [];
  let turns = 0;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `bench-call-${String(i).padStart(6, '0')}`;
      callIds.push(id);
      const campaign = campaigns[i % campaigns.length]!;
      const createdAt = options.startMs + i * 30_000 + Math.floor(rand() * 20_000);
      const answeredAt = createdAt + 8_000;
      const count = 6 + Math.floor(rand() * 5);
      const endedAt = answeredAt + count * 6_000 + Math.floor(rand() * 30_000);
      call.run(id, campaign, rand() < 0.1 ? 'inbound' : 'outbound', outcomes[Math.floor(rand() * outcomes.length)]!, createdAt, answeredAt, endedAt, createdAt, rand() < 0.05 ? 1 : 0);
      for (let seq = 0; seq < count; seq++) {
        const agent = seq % 2 === 0;
        let text = agent ? AGENT[Math.floor(rand() * AGENT.length)]! : CALLER[Math.floor(rand() * CALLER.length)]!;
        if (rand() < 0.01) text += ` By the way, ${RARE[Math.floor(rand() * RARE.length)]}.`;
        const at = answeredAt + seq * 6_000;
        turn.run(id, seq, agent ? 'agent' : 'caller', text, at, at + 5_000);
        if (!agent && seq < 6) emotion.run(id, campaign, seq, at, labels[Math.floor(rand() * labels.length)]!, labels[Math.floor(rand() * labels.length)]!, rand());
        if (agent && seq > 0) latency.run(id, at, JSON.stringify({ turn: seq, endpointMs: 300, sttMs: 120, llmFirstTokenMs: 250, ttsFirstChunkMs: 90, transportMs: 20, totalMs: 780, endpointReason: 'silence' }));
        turns += 1;
      }
      if (rand() < 0.8) analysis.run(id, campaign, createdAt, endedAt, rand() < 0.3 ? 'interested' : 'not_interested', Math.round(rand() * 100) / 100);
    }
  });
  for (let from = 0; from < options.calls; from += 5_000) batch(from, Math.min(options.calls, from + 5_000));
  return { calls: options.calls, turns, campaigns, callIds };
}
