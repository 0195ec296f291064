import type { Kysely, Selectable } from 'kysely';
import { ParleyError, type DncEntry, type DncHistoryEntry, type DncSource } from '../../contracts';
import type { Clock } from '../clock';
import type { DncNumbersTable } from '../storage/dialer-tables';
import type { Database } from '../storage/schema';
import { containsPattern } from './segment-query';
import { DRY_RUN_DNC, dryRunRefusal, isDryRunCall } from '../lines/dry-run';

/** Who changed the list: a user's name, the caller of a call, or an imported file. */
export function dncActor(entry: { by?: string | undefined; callId: string | null }): string {
  if (entry.by) return entry.by;
  return entry.callId ? `caller on call ${entry.callId}` : 'unknown';
}

/**
 * The internal do-not-call list, keyed by E.164 number (a number, not a contact: it holds even for
 * numbers never imported). The dialer checks it at dial time; adding a number also takes the
 * contacts with it out of every campaign queue at once. Every add and removal that changes the
 * list writes a history row in the same transaction.
 */
export class DncRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Refused (conflict) for a dry-run call: a rehearsal never writes the real list. */
  /** `by`: who adds it (default: the caller of `callId`). */
  async add(entry: { phone: string; reason: string; source: DncSource; callId: string | null; by?: string | undefined }): Promise<DncEntry> {
    if (entry.callId && (await isDryRunCall(this.db, entry.callId))) throw dryRunRefusal(DRY_RUN_DNC);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('dnc_numbers')
        .values({ phone_e164: entry.phone, reason: entry.reason, source: entry.source, call_id: entry.callId, added_at: now })
        .onConflict((oc) => oc.column('phone_e164').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
        await trx
          .insertInto('dnc_history')
          .values({ phone_e164: entry.phone, action: 'add', actor: dncActor(entry), reason: entry.reason, source: entry.source, call_id: entry.callId, at: now })
          .execute();
      }
      await trx
        .updateTable('campaign_contacts')
        .set({ state: 'dnc', updated_at: now })
        .where('state', '=', 'queued')
        .where('contact_id', 'in', trx.selectFrom('contacts').select('id').where('phone_e164', '=', entry.phone))
        .execute();
      // Nobody calls back a number that asked not to be called.
      await trx
        .updateTable('callbacks')
        .set({ state: 'cancelled', note: `Cancelled: the number went on the do-not-call list (${entry.reason})`.slice(0, 500), updated_at: now })
        .where('state', 'in', ['scheduled', 'dialing'])
        .where('contact_id', 'in', trx.selectFrom('contacts').select('id').where('phone_e164', '=', entry.phone))
        .execute();
    });
    return (await this.find(entry.phone))!;
  }

  /** Only with a reason (the contract also asks for a confirmation and the manager role). */
  async remove(removal: { phone: string; reason: string; by: string }): Promise<boolean> {
    if (!removal.reason.trim()) throw new ParleyError('invalid_payload', 'Say why this number may be called again', [{ path: 'reason', message: 'A reason is required' }]);
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('dnc_numbers').where('phone_e164', '=', removal.phone).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx
        .insertInto('dnc_history')
        .values({ phone_e164: removal.phone, action: 'remove', actor: removal.by, reason: removal.reason.trim(), source: 'console', call_id: null, at: this.clock.now() })
        .execute();
      return true;
    });
  }

  /** Every change to one number, oldest first. */
  async history(phone: string): Promise<DncHistoryEntry[]> {
    const rows = await this.db.selectFrom('dnc_history').selectAll().where('phone_e164', '=', phone).orderBy('id').execute();
    return rows.map((r) => ({
      phone: r.phone_e164,
      action: r.action === 'remove' ? 'remove' : 'add',
      actor: r.actor,
      reason: r.reason,
      source: r.source as DncSource,
      callId: r.call_id,
      at: new Date(r.at).toISOString(),
    }));
  }

  async find(phone: string): Promise<DncEntry | undefined> {
    const row = await this.db.selectFrom('dnc_numbers').selectAll().where('phone_e164', '=', phone).executeTakeFirst();
    return row ? toEntry(row) : undefined;
  }

  async list(query: { search: string; offset: number; limit: number }): Promise<{ total: number; entries: DncEntry[] }> {
    let q = this.db.selectFrom('dnc_numbers');
    const digits = query.search.replace(/\D/g, '');
    if (query.search && !digits) throw new ParleyError('invalid_payload', 'Search the do-not-call list by digits of the number');
    if (digits) q = q.where('phone_e164', 'like', containsPattern(digits));
    const [count, rows] = await Promise.all([
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      q.selectAll().orderBy('added_at', 'desc').orderBy('phone_e164').offset(query.offset).limit(query.limit).execute(),
    ]);
    return { total: Number(count.n), entries: rows.map(toEntry) };
  }
}

function toEntry(row: Selectable<DncNumbersTable>): DncEntry {
  return {
    phone: row.phone_e164,
    reason: row.reason,
    source: row.source as DncSource,
    callId: row.call_id,
    addedAt: new Date(row.added_at).toISOString(),
  };
}
