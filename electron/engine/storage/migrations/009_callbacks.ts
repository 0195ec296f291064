import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * One row per callback, whoever asked for it (the caller through the agent, a supervisor, the
 * analysis). Times are epoch ms (UTC); `zone` is the contact's zone the due time was computed in.
 */
export const callbacks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('callbacks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
      .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id'))
      .addColumn('origin_call_id', 'text')
      .addColumn('due_at', 'integer', (c) => c.notNull())
      .addColumn('zone', 'text', (c) => c.notNull())
      .addColumn('asked_words', 'text') // the caller's own words, e.g. "tomorrow at ten"
      .addColumn('source', 'text', (c) => c.notNull()) // 'caller' | 'supervisor' | 'analysis'
      .addColumn('requested_by', 'text', (c) => c.notNull()) // "caller via agent", a user's name, "analysis"
      .addColumn('note', 'text')
      .addColumn('assignee_user_id', 'text') // null: the AI calls back
      .addColumn('state', 'text', (c) => c.notNull()) // scheduled | dialing | done | missed | cancelled
      .addColumn('result_call_id', 'text')
      .addColumn('reminded_at', 'integer')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('callbacks_due').on('callbacks').columns(['state', 'due_at']).execute();
    await db.schema.createIndex('callbacks_contact').on('callbacks').columns(['contact_id', 'state']).execute();
    await db.schema.createIndex('callbacks_campaign').on('callbacks').columns(['campaign_id', 'state', 'due_at']).execute();
  },
};
