import type BetterSqlite3 from 'better-sqlite3';

/** What a CRM needs about a call beyond its analysis: who, when, how long, which way, and whether it was recorded. */
export interface CallFacts {
  callId: string;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  campaignName: string | null;
  direction: 'inbound' | 'outbound';
  startedAt: number;
  /** Answered to ended, ms (0 when it was never answered). */
  durationMs: number;
  dialOutcome: string | null;
  recorded: boolean;
  /** The contact's custom fields (imports), for the CRM's field mapping. */
  contactCustom: Record<string, unknown>;
}

function parseObject(json: string | null): Record<string, unknown> {
  try {
    const value: unknown = json ? JSON.parse(json) : {};
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Reads a call's facts (one indexed query); undefined when the call is not on record. */
export function callFactsReader(sqlite: BetterSqlite3.Database): (callId: string) => CallFacts | undefined {
  const statement = sqlite.prepare(`
    select c.id, c.direction, c.created_at, c.answered_at, c.ended_at, c.outcome, k.name as contact_name, k.phone_e164, k.email, k.custom as contact_custom, p.name as campaign_name,
      exists (select 1 from call_recordings r where r.call_id = c.id) as recorded
    from calls c left join contacts k on k.id = c.contact_id left join campaigns p on p.id = c.campaign_id
    where c.id = ?`);
  return (callId) => {
    const row = statement.get(callId) as
      | { id: string; direction: string; created_at: number; answered_at: number | null; ended_at: number | null; outcome: string | null; contact_name: string | null; phone_e164: string | null; email: string | null; contact_custom: string | null; campaign_name: string | null; recorded: number }
      | undefined;
    if (!row) return undefined;
    return {
      callId: row.id,
      contactName: row.contact_name,
      phone: row.phone_e164,
      email: row.email,
      campaignName: row.campaign_name,
      direction: row.direction === 'inbound' ? 'inbound' : 'outbound',
      startedAt: row.answered_at ?? row.created_at,
      durationMs: row.answered_at !== null && row.ended_at !== null ? Math.max(0, row.ended_at - row.answered_at) : 0,
      dialOutcome: row.outcome,
      recorded: row.recorded === 1,
      contactCustom: parseObject(row.contact_custom),
    };
  };
}
