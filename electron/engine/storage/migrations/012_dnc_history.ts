import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Compliance records: every change to the do-not-call list as a history row (adds and removals,
 * with who, why and from where), and per answered call the time from answer to the agent's first
 * audio and whether the call counts as abandoned (the 3% rule).
 */
export const dncHistory: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dnc_history')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('phone_e164', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull()) // 'add' | 'remove'
      .addColumn('actor', 'text', (c) => c.notNull()) // a user's name, "caller on call X", "import <file>"
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull()) // DncSource
      .addColumn('call_id', 'text')
      .addColumn('at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dnc_history_phone').on('dnc_history').columns(['phone_e164', 'id']).execute();
    // Numbers already on the list get their first history entry from what the list row says.
    await sql`insert into dnc_history (phone_e164, action, actor, reason, source, call_id, at)
      select phone_e164, 'add', case when call_id is not null then 'caller on call ' || call_id else 'before history was kept' end,
             reason, source, call_id, added_at from dnc_numbers`.execute(db);

    await db.schema.alterTable('calls').addColumn('first_audio_ms', 'integer').execute(); // answer -> first agent audio
    await db.schema.alterTable('calls').addColumn('abandoned', 'integer').execute(); // 1 / 0; null until the call ended
    await db.schema.createIndex('calls_campaign_answered').on('calls').columns(['campaign_id', 'answered_at']).execute();
  },
};
