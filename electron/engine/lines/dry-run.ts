import type { Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError } from '../../contracts';
import type { Database } from '../storage/schema';

/**
 * Dry runs: calls on a simulated line. They are stored and shown, but never write real records.
 * Each real-record write checks here, once, where it happens: the do-not-call list
 * (DncRepository.add), contact status and attempts (DialerStore), callbacks (CallActions) and the
 * CRM outbox (CallAnalysisService).
 */
export const DRY_RUN_DNC = 'This is a dry run on the simulated line: nothing is added to the do-not-call list';
export const DRY_RUN_CALLBACK = 'Dry run: recorded on the call; no callback is booked';
export const NO_REAL_LINE =
  'No phone line is set up: add a SIP or Asterisk line under Lines, or run this campaign as a dry run on the simulated line';

export async function isDryRunCall(db: Kysely<Database>, callId: string): Promise<boolean> {
  const row = await db.selectFrom('calls').select('dry_run').where('id', '=', callId).executeTakeFirst();
  return row?.dry_run === 1;
}

export function isDryRunCallSync(sqlite: BetterSqlite3.Database, callId: string): boolean {
  const row = sqlite.prepare('select dry_run from calls where id = ?').get(callId) as { dry_run: number } | undefined;
  return row?.dry_run === 1;
}

export function dryRunRefusal(message: string): ParleyError {
  return new ParleyError('conflict', message);
}
