export type CallbackState = 'scheduled' | 'dialing' | 'done' | 'missed' | 'cancelled';
export type CallbackSource = 'caller' | 'supervisor' | 'analysis';

/** 009_callbacks: one persisted callbacks queue (see engine/callbacks). */
export interface CallbacksTable {
  id: string;
  contact_id: string;
  campaign_id: string | null;
  origin_call_id: string | null;
  due_at: number;
  zone: string;
  asked_words: string | null;
  source: CallbackSource;
  requested_by: string;
  note: string | null;
  assignee_user_id: string | null;
  state: CallbackState;
  result_call_id: string | null;
  reminded_at: number | null;
  created_at: number;
  updated_at: number;
}
