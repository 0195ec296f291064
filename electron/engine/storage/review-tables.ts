import type { Generated } from 'kysely';

/** Rows added by migration 013_review (notes, saved views, retention log, hashes of erased numbers). */

export interface CallNotesTable {
  id: Generated<number>;
  call_id: string;
  author_id: string | null;
  author: string;
  text: string;
  created_at: number;
}

export interface SavedViewsTable {
  id: string;
  user_id: string;
  name: string;
  query: string; // JSON CallsQuery
  created_at: number;
  updated_at: number;
}

export interface RetentionPurgesTable {
  id: Generated<number>;
  at: number;
  call_id: string;
  campaign_id: string | null;
  kind: 'recording' | 'transcript';
  detail: string; // JSON
}

export interface DncHashesTable {
  phone_hash: string;
  reason: string;
  added_at: number;
}
