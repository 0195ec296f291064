import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Providers an office chose per role (local models, OpenAI-compatible endpoints, Anthropic,
 * ElevenLabs), with their prices. Keys live in the secret store, never here.
 */
export const providers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('providers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull()) // ProviderRole
      .addColumn('kind', 'text', (c) => c.notNull()) // ProviderKind
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}')) // JSON, without secrets (base URL, model, voice)
      .addColumn('prices', 'text', (c) => c.notNull().defaultTo('{}')) // JSON ProviderPrices
      .addColumn('has_secret', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('deleted_at', 'integer')
      .execute();
    await db.schema.createIndex('providers_role').on('providers').columns(['role', 'deleted_at']).execute();
  },
};
