import type { Generated } from 'kysely';
import type { CallVoiceTable } from './voice-tables';
import type { CampaignHoursOverridesTable, ContactConsentsTable, DncHistoryTable } from './compliance-tables';
import type { CallbacksTable } from './callbacks-tables';
import type { CallAnalysisTable, CallCostsTable, OutboxTable, TurnEmotionsTable } from './analysis-tables';
import type {
  CampaignContactsTable,
  CampaignTransitionsTable,
  ContactContextsTable,
  ContactTagsTable,
  DialAttemptsTable,
  DncNumbersTable,
  SegmentsTable,
} from './dialer-tables';
import type { ProvidersTable } from './provider-tables';
import type { CrmConnectionTable, DeliveryLogTable, WebhooksTable } from './delivery-tables';
import type { CallNotesTable, DncHashesTable, RetentionPurgesTable, SavedViewsTable } from './review-tables';

/** Row types of the SQLite store, as kysely sees them. Times are epoch milliseconds. */
export interface Database {
  settings: SettingsTable;
  campaigns: CampaignsTable;
  contacts: ContactsTable;
  calls: CallsTable;
  call_events: CallEventsTable;
  transcript_turns: TranscriptTurnsTable;
  call_voice: CallVoiceTable;
  installed_models: InstalledModelsTable;
  active_models: ActiveModelsTable;
  turn_emotions: TurnEmotionsTable;
  call_analysis: CallAnalysisTable;
  outbox: OutboxTable;
  call_costs: CallCostsTable;
  providers: ProvidersTable;
  delivery_log: DeliveryLogTable;
  webhooks: WebhooksTable;
  crm_connection: CrmConnectionTable;
  contact_tags: ContactTagsTable;
  dnc_numbers: DncNumbersTable;
  segments: SegmentsTable;
  campaign_transitions: CampaignTransitionsTable;
  campaign_contacts: CampaignContactsTable;
  dial_attempts: DialAttemptsTable;
  contact_contexts: ContactContextsTable;
  lines: LinesTable;
  call_recordings: CallRecordingsTable;
  contact_consents: ContactConsentsTable;
  campaign_hours_overrides: CampaignHoursOverridesTable;
  dnc_history: DncHistoryTable;
  call_notes: CallNotesTable;
  saved_views: SavedViewsTable;
  retention_purges: RetentionPurgesTable;
  dnc_hashes: DncHashesTable;
  call_transfers: CallTransfersTable; // 010_transfers
  callbacks: CallbacksTable;
}

export interface CallRecordingsTable {
  call_id: string;
  path: string; // relative to the data folder
  format: string;
  sample_rate: number;
  channels: number;
  status: 'recording' | 'complete' | 'recovered' | 'purged';
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  bytes: number | null;
  sha256: string | null;
}

export interface LinesTable {
  id: string;
  kind: string;
  name: string;
  settings: string; // JSON, without secrets
  caller_ids: string; // JSON array
  max_calls: number;
  codecs: string; // JSON array
  inbound_campaign_id: string | null;
  rate_per_minute_usd: number | null; // 021: USD per answered minute
  has_secret: number;
  created_at: number;
  updated_at: number;
}

export interface InstalledModelsTable {
  model_id: string;
  role: string;
  name: string;
  engine: string;
  dir: string; // folder name under <data>/models
  size_bytes: number;
  files: string; // JSON array of InstalledFile
  source: string; // 'download' | 'import'
  verified: number;
  catalog_entry: string; // JSON CatalogModel
  installed_at: number;
}

export interface ActiveModelsTable {
  role: string;
  model_id: string;
  updated_at: number;
}

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: number;
}

export interface CampaignsTable {
  id: string;
  name: string;
  agent_prompt: string;
  questions: string; // JSON array of strings
  status: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  disclosure: number; // 004_analysis: 1 = the opening line discloses automation, recording, emotion analysis
  emotion_settings: string; // 004_analysis: JSON EmotionSettings
  settings: string; // 002_dialer: JSON CampaignSettings (dialing, window, retries, variants)
  start_at: number | null; // 002_dialer: when a scheduled campaign starts
}

export interface ContactsTable {
  id: string;
  name: string;
  phone_e164: string;
  email: string | null;
  timezone: string | null;
  timezone_inferred: number;
  company: string | null;
  custom: string; // JSON object
  created_at: number;
  updated_at: number;
  tags: string; // 002_dialer: JSON array, mirrored in contact_tags for filtering
  last_outcome: string | null; // 002_dialer
  last_attempt_at: number | null; // 002_dialer
  attempt_count: number; // 002_dialer
}

export interface CallsTable {
  id: string;
  campaign_id: string | null;
  contact_id: string | null;
  direction: string;
  state: string;
  outcome: string | null;
  started_at: number | null;
  answered_at: number | null;
  ended_at: number | null;
  created_at: number;
  dry_run: Generated<number>; // 006_lines: 1 = on a simulated line, never touches real records
  line_id: Generated<string | null>; // 006_lines
  first_audio_ms: Generated<number | null>; // 012: answer -> the agent's first audio, ms
  abandoned: Generated<number | null>; // 012: 1 = abandoned (see domain/abandonment.ts); null until ended
  legal_hold: Generated<number>; // 013_review: 1 = the retention purge leaves this call alone
}

export interface CallEventsTable {
  id: Generated<number>;
  call_id: string;
  at: number;
  kind: string;
  data: string; // JSON
}

export interface TranscriptTurnsTable {
  id: Generated<number>;
  call_id: string;
  seq: number;
  speaker: string;
  text: string;
  started_at: number;
  ended_at: number | null;
  interrupted: number;
  voice_tier: Generated<string | null>; // 020: agent turns of a campaign with a premium voice
}

/** 010_transfers: a request for a person on a call, and how the wait ended. */
export interface CallTransfersTable {
  call_id: string;
  campaign_id: string | null;
  reason: string;
  requested_by: string;
  state: string; // waiting | taken-over | transferred | timed-out | caller-hung-up | call-ended | interrupted
  requested_at: number;
  closed_at: number | null;
  taken_by: string | null;
  via: string | null;
  detail: string | null;
}
