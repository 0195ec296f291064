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
