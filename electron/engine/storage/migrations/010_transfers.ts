import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * One row per request for a person on a call: while `waiting` the caller is in the queue; it ends
 * `taken-over`, `transferred`, `timed-out`, `caller-hung-up`, `call-ended`, or `interrupted` (the
 * engine stopped while they waited; the next start closes the call).
 */
export const transfers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('call_transfers')
      .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id'))
      .addColumn('campaign_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'integer', (c) => c.notNull())
      .addColumn('closed_at', 'integer')
      .addColumn('taken_by', 'text')
      .addColumn('via', 'text') // 'takeover' | 'transfer'
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('call_transfers_state').on('call_transfers').column('state').execute();
  },
};
