import type { Generated } from 'kysely';

/** Rows added by migration 002_dialer (contacts' tags, do-not-call, segments, the dialer's queue). */

export interface ContactTagsTable {
  tag: string;
  contact_id: string;
}

export interface DncNumbersTable {
  phone_e164: string;
  reason: string;
  source: string;
  call_id: string | null;
  added_at: number;
}

export interface SegmentsTable {
  id: string;
  name: string;
  filter: string; // JSON SegmentFilter
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface CampaignTransitionsTable {
  id: Generated<number>;
  campaign_id: string;
  from_status: string | null;
  to_status: string;
  at: number;
  reason: string;
}

export type QueueState = 'queued' | 'dialing' | 'done' | 'dnc' | 'no-consent';

export interface CampaignContactsTable {
  campaign_id: string;
  contact_id: string;
  seq: number;
  state: QueueState;
  timezone: string;
  variant: string | null;
  attempts: number;
  next_at: number;
  last_outcome: string | null;
  updated_at: number;
}

export type AttemptState = 'dialing' | 'in-call' | 'ended';

export interface DialAttemptsTable {
  id: string;
  campaign_id: string;
  contact_id: string;
  attempt: number;
  phone_e164: string;
  variant: string | null;
  state: AttemptState;
  outcome: string | null;
  detail: string | null;
  created_at: number;
  answered_at: number | null;
  ended_at: number | null;
  dry_run: Generated<number>; // 006_lines: 1 = a dry-run attempt (simulated line)
}

export interface ContactContextsTable {
  campaign_id: string;
  contact_id: string;
  text: string;
  source: string;
  created_at: number;
}
