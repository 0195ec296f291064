import type BetterSqlite3 from 'better-sqlite3';
import type { CallOutcome, EmotionLabel } from '../../contracts';
import { seededRandom } from './seeded-random';

export interface SeedOptions {
  campaignId: string;
  /** Dial attempts to create. */
  calls: number;
  /** Distinct contacts the attempts spread over (several attempts per contact). */
  contacts?: number;
  /** First attempt time; attempts spread over `days` days, in calling hours (UTC). */
  startMs?: number;
  days?: number;
  /** Deterministic data: the same seed gives the same campaign. */
  seed?: number;
  /** Prefix of generated ids, so several campaigns can share a store. */
  idPrefix?: string;
}

export interface SeedResult {
  calls: number;
  contacts: number;
  answered: number;
  analysed: number;
  emotionTurns: number;
  latencyEvents: number;
  costItems: number;
}

function pick<T>(rand: () => number, weighted: Array<[T, number]>): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of weighted) if ((r -= w) < 0) return value;
  return weighted[weighted.length - 1]![0];
}

const OUTCOMES_B: Array<[CallOutcome, number]> = [
  ['converted', 11], ['interested', 20], ['callback', 14], ['not_interested', 34], ['wrong_number', 3], ['dnc_request', 3], ['other', 15],
];
const OUTCOMES_A: Array<[CallOutcome, number]> = [
  ['converted', 8], ['interested', 19], ['callback', 15], ['not_interested', 36], ['wrong_number', 3], ['dnc_request', 4], ['other', 15],
];
const MOOD: Record<CallOutcome, EmotionLabel> = {
  converted: 'happy', interested: 'happy', callback: 'neutral', not_interested: 'neutral', wrong_number: 'confused',
  dnc_request: 'frustrated', voicemail: 'neutral', no_answer: 'neutral', other: 'neutral',
};
const EMOTIONS: EmotionLabel[] = ['neutral', 'happy', 'confused', 'frustrated', 'sad', 'anxious'];

/**
 * Writes a realistic campaign straight into the store (prepared statements, one transaction): dial
 * attempts with hour-of-day answer rates and two A/B variants, the call rows of answered attempts,
 * their post-call analyses, per-turn emotions, per-turn latency events and telephony costs.
 */
export function seedCampaignCalls(sqlite: BetterSqlite3.Database, options: SeedOptions): SeedResult {
  const rand = seededRandom(options.seed ?? 42);
  const contacts = options.contacts ?? Math.max(1, Math.round(options.calls / 2.5));
  const startMs = options.startMs ?? Date.UTC(2026, 0, 5);
  const days = options.days ?? 30;
  const prefix = options.idPrefix ?? 'seed';
  const campaign = options.campaignId;
  const insertContact = sqlite.prepare(
    'INSERT INTO contacts (id, name, phone_e164, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertAttempt = sqlite.prepare(
    `INSERT INTO dial_attempts (id, campaign_id, contact_id, attempt, phone_e164, variant, state, outcome, detail, created_at, answered_at, ended_at)
     VALUES (?, ?, ?, ?, ?, ?, 'ended', ?, NULL, ?, ?, ?)`,
  );
  const insertCall = sqlite.prepare(
    `INSERT INTO calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at)
     VALUES (?, ?, ?, 'outbound', 'ended', ?, ?, ?, ?, ?)`,
  );
  const insertAnalysis = sqlite.prepare(
    `INSERT INTO call_analysis (call_id, campaign_id, contact_id, call_created_at, created_at, method, model, outcome, summary, answers,
       qualification, interest, budget, timeline, decision_maker, csat, next_action, dominant_emotion, conversation, qualified, converted)
     VALUES (?, ?, ?, ?, ?, 'rules', NULL, ?, ?, '[]', ?, ?, '{"status":"unknown","detail":null}', '{"horizon":"unknown","detail":null}',
       'unknown', ?, '{"kind":"none","detail":""}', ?, ?, ?, ?)`,
  );
  const insertEmotion = sqlite.prepare(
    `INSERT INTO turn_emotions (call_id, campaign_id, seq, at, label, confidence, valence, arousal, text_reading, voice,
       smoothed_label, smoothed_valence, smoothed_arousal, frustration)
     VALUES (?, ?, ?, ?, ?, 0.7, ?, 0.5, '{"label":"neutral","confidence":0.5,"valence":0,"arousal":0.3,"source":"lexicon"}', NULL, ?, ?, 0.5, ?)`,
  );
  const insertLatency = sqlite.prepare("INSERT INTO call_events (call_id, at, kind, data) VALUES (?, ?, 'turn.latency', ?)");
  const insertCost = sqlite.prepare('INSERT INTO call_costs (call_id, campaign_id, item, amount_usd, created_at) VALUES (?, ?, ?, ?, ?)');

  const result: SeedResult = { calls: 0, contacts, answered: 0, analysed: 0, emotionTurns: 0, latencyEvents: 0, costItems: 0 };
  sqlite.transaction(() => {
    for (let c = 0; c < contacts; c++) {
      insertContact.run(`${prefix}-contact-${c}`, `Contact ${c}`, `+1555${String(c).padStart(7, '0')}`, startMs, startMs);
    }
    const attemptsSoFar = new Uint16Array(contacts);
    for (let i = 0; i < options.calls; i++) {
      const contact = i < contacts ? i : Math.floor(rand() * contacts);
      const attempt = ++attemptsSoFar[contact]!;
      const day = Math.floor(rand() * days);
      const hour = 8 + Math.floor(rand() * 12); // 08:00-19:59
      const created = startMs + day * 86_400_000 + hour * 3_600_000 + Math.floor(rand() * 3_600_000);
      const variant = rand() < 0.5 ? 'A' : 'B';
      // Answer rates peak late morning and early evening.
      const answerRate = hour >= 10 && hour <= 11 ? 0.55 : hour >= 17 && hour <= 18 ? 0.6 : 0.38;
      const roll = rand();
      const dialOutcome = roll < answerRate ? 'completed' : roll < answerRate + 0.12 ? 'voicemail' : roll < 0.93 ? 'no-answer' : roll < 0.97 ? 'busy' : 'failed';
      const answered = dialOutcome === 'completed' || dialOutcome === 'voicemail';
      const answeredAt = answered ? created + 8_000 + Math.floor(rand() * 15_000) : null;
      const endedAt = answeredAt !== null ? answeredAt + 20_000 + Math.floor(rand() * 240_000) : created + 30_000;
      const id = `${prefix}-call-${i}`;
      const contactId = `${prefix}-contact-${contact}`;
      insertAttempt.run(id, campaign, contactId, attempt, `+1555${String(contact).padStart(7, '0')}`, variant, dialOutcome, created, answeredAt, endedAt);
      result.calls += 1;
      insertCost.run(id, campaign, 'telephony', Math.round((0.004 + ((endedAt - created) / 60_000) * 0.013) * 10_000) / 10_000, endedAt);
      result.costItems += 1;
      if (dialOutcome !== 'completed') continue;
      result.answered += 1;
      insertCall.run(id, campaign, contactId, dialOutcome, created, answeredAt, endedAt, created);
      const outcome = pick(rand, variant === 'B' ? OUTCOMES_B : OUTCOMES_A);
      const mood = rand() < 0.7 ? MOOD[outcome] : EMOTIONS[Math.floor(rand() * EMOTIONS.length)]!;
      const qualification = outcome === 'converted' ? 0.8 + rand() * 0.2 : outcome === 'interested' ? 0.4 + rand() * 0.5 : rand() * 0.4;
      const csat = Math.round((mood === 'happy' ? 4 + rand() : mood === 'frustrated' ? 1 + rand() * 1.5 : 2.8 + rand() * 1.2) * 10) / 10;
      const turns = 2 + Math.floor(rand() * 3);
      insertAnalysis.run(id, campaign, contactId, created, endedAt, outcome, `Seeded call ${i}: ${outcome}.`, Math.round(qualification * 100) / 100,
        outcome === 'converted' ? 'high' : outcome === 'interested' ? 'medium' : 'low', csat, mood, turns >= 3 || outcome !== 'other' ? 1 : 0,
        outcome === 'converted' || qualification >= 0.6 ? 1 : 0, outcome === 'converted' ? 1 : 0);
      result.analysed += 1;
      for (let t = 0; t < turns; t++) {
        const label = rand() < 0.6 ? mood : EMOTIONS[Math.floor(rand() * EMOTIONS.length)]!;
        const at = answeredAt! + 5_000 + t * 9_000;
        const valence = label === 'happy' ? 0.5 : label === 'frustrated' || label === 'sad' ? -0.5 : 0;
        insertEmotion.run(id, campaign, t * 2 + 1, at, label, valence, label, valence, label === 'frustrated' ? 0.7 : 0.1);
        result.emotionTurns += 1;
        const endpoint = 300 + rand() * 400;
        const stt = 80 + rand() * 200;
        const llm = 250 + rand() * 600 + (rand() < 0.05 ? 1_500 : 0);
        const tts = 90 + rand() * 200;
        const transport = 20 + rand() * 60;
        insertLatency.run(id, at + 1_000, JSON.stringify({
          endpointMs: Math.round(endpoint), sttMs: Math.round(stt), llmFirstTokenMs: Math.round(llm), ttsFirstChunkMs: Math.round(tts),
          transportMs: Math.round(transport), totalMs: Math.round(endpoint + stt + llm + tts + transport),
        }));
        result.latencyEvents += 1;
      }
    }
  })();
  return result;
}
