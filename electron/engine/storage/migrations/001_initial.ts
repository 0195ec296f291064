import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('agent_prompt', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('deleted_at', 'integer')
      .execute();
    await db.schema.createIndex('campaigns_live').on('campaigns').columns(['deleted_at', 'created_at']).execute();

    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone_e164', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('timezone', 'text')
      .addColumn('timezone_inferred', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('company', 'text')
      .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contacts_phone').unique().on('contacts').column('phone_e164').execute();

    await db.schema
      .createTable('calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id'))
      .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('started_at', 'integer')
      .addColumn('answered_at', 'integer')
      .addColumn('ended_at', 'integer')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('calls_campaign').on('calls').columns(['campaign_id', 'created_at']).execute();
    await db.schema.createIndex('calls_contact').on('calls').columns(['contact_id', 'created_at']).execute();

    await db.schema
      .createTable('call_events')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('call_events_call').on('call_events').columns(['call_id', 'at']).execute();

    await db.schema
      .createTable('transcript_turns')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('speaker', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('started_at', 'integer', (c) => c.notNull())
      .addColumn('ended_at', 'integer')
      .addColumn('interrupted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('transcript_turns_call').unique().on('transcript_turns').columns(['call_id', 'seq']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['transcript_turns', 'call_events', 'calls', 'contacts', 'campaigns', 'settings']) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
  },
};
