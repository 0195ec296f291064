import type { Generated } from 'kysely';

/** Rows added by migration 004_analysis (emotion, post-call analysis, CRM outbox, costs). */

export interface TurnEmotionsTable {
  id: Generated<number>;
  call_id: string;
  campaign_id: string | null;
  seq: number;
  at: number;
  label: string;
  confidence: number;
  valence: number;
  arousal: number;
  text_reading: string; // JSON TextEmotion
  voice: string | null; // JSON VoiceFeatures
  smoothed_label: string;
  smoothed_valence: number;
  smoothed_arousal: number;
  frustration: number;
}

export interface CallAnalysisTable {
  call_id: string;
  campaign_id: string | null;
  contact_id: string | null;
  call_created_at: number;
  created_at: number;
  method: string;
  model: string | null;
  outcome: string;
  summary: string;
  answers: string; // JSON QuestionAnswer[]
  qualification: number;
  interest: string;
  budget: string; // JSON
  timeline: string; // JSON
  decision_maker: string;
  csat: number;
  next_action: string; // JSON
  dominant_emotion: string | null;
  conversation: number;
  qualified: number;
  converted: number;
}

export interface OutboxTable {
  id: string;
  kind: string;
  payload: string; // JSON
  idempotency_key: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  created_at: number;
  last_error: string | null;
  sent_at: number | null;
  /** `crm` or `webhook:<id>` (migration 015). */
  target: Generated<string>;
  /** Rows with the same key are delivered in order: the contact's id, or the row's own id. */
  order_key: Generated<string>;
  dead_at: number | null;
  remote_id: string | null;
}

export interface CallCostsTable {
  id: Generated<number>;
  call_id: string;
  campaign_id: string | null;
  item: string;
  amount_usd: number;
  created_at: number;
  /** 021: how much was used, of what, from which provider (null: the line, or a row written before). */
  quantity: Generated<number | null>;
  unit: Generated<string | null>;
  provider_id: Generated<string | null>;
}
