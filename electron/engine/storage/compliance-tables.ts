import type { Generated } from 'kysely';

/** Rows added by migration 012_dnc_history. */
export interface DncHistoryTable {
  id: Generated<number>;
  phone_e164: string;
  action: string; // 'add' | 'remove'
  actor: string;
  reason: string;
  source: string;
  call_id: string | null;
  at: number;
}

/** Rows added by migration 011_compliance (consent records, legal-hours overrides). */

export interface ContactConsentsTable {
  contact_id: string;
  kind: string; // ConsentKind
  source: string;
  obtained_at: string | null; // YYYY-MM-DD
  evidence: string;
  existing_relationship: number;
  revoked_at: number | null;
  revoked_how: string | null;
  revoked_call_id: string | null;
  updated_at: number;
  updated_by: string;
}

export interface CampaignHoursOverridesTable {
  campaign_id: string;
  calling_window: string; // JSON CallingWindow
  default_timezone: string;
  reason: string;
  by_user: string;
  at: number;
}
