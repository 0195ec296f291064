import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Delivering the outbox: each row names its target (`crm`, `webhook:<id>`) and an ordering key (the
 * contact, so one person's facts arrive in order), can be dead-lettered, and keeps what the target
 * created. Every attempt is logged. Webhook subscriptions and the CRM connection live here; their
 * secrets (signing secrets, the CRM token) live in the secret store.
 */
export const delivery: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('outbox').addColumn('target', 'text', (c) => c.notNull().defaultTo('crm')).execute();
    await db.schema.alterTable('outbox').addColumn('order_key', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('outbox').addColumn('dead_at', 'integer').execute();
    await db.schema.alterTable('outbox').addColumn('remote_id', 'text').execute();
    // Rows written before this version: order them by the contact their summary names.
    await sql`update outbox set order_key = coalesce(json_extract(payload, '$.contactId'), id)`.execute(db);
    await db.schema.createIndex('outbox_target_due').on('outbox').columns(['target', 'sent_at', 'dead_at', 'next_attempt_at']).execute();
    await db.schema.createIndex('outbox_order').on('outbox').columns(['target', 'order_key', 'created_at']).execute();

    await db.schema
      .createTable('delivery_log')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('outbox_id', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('delivery_log_row').on('delivery_log').columns(['outbox_id', 'at']).execute();
    await db.schema.createIndex('delivery_log_at').on('delivery_log').columns(['at']).execute();

    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull()) // JSON WebhookEvent[]
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('crm_connection')
      .addColumn('id', 'text', (c) => c.primaryKey()) // one row: 'crm'
      .addColumn('kind', 'text', (c) => c.notNull()) // 'hubspot'
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}')) // JSON, without the token
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
  },
};
