import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Lines (configured carriers; their secrets live in the secret store, never here), and the dry-run
 * mark on calls and dial attempts: a call on a simulated line is stored but never touches real records.
 */
export const lines: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('lines')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull()) // JSON, per kind, without secrets
      .addColumn('caller_ids', 'text', (c) => c.notNull()) // JSON array
      .addColumn('max_calls', 'integer', (c) => c.notNull())
      .addColumn('codecs', 'text', (c) => c.notNull()) // JSON array
      .addColumn('inbound_campaign_id', 'text')
      .addColumn('has_secret', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('calls').addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('calls').addColumn('line_id', 'text').execute();
    await db.schema.alterTable('dial_attempts').addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table dial_attempts drop column dry_run`.execute(db);
    await sql`alter table calls drop column line_id`.execute(db);
    await sql`alter table calls drop column dry_run`.execute(db);
    await sql`drop table if exists lines`.execute(db);
  },
};
