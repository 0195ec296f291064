import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Installed models (one row per model folder) and the active model of each role. */
export const models: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('installed_models')
      .addColumn('model_id', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('engine', 'text', (c) => c.notNull())
      // Folder name under <data>/models, so a moved data folder keeps working.
      .addColumn('dir', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'integer', (c) => c.notNull())
      .addColumn('files', 'text', (c) => c.notNull()) // JSON: path, sizeBytes, sha256, verified
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('verified', 'integer', (c) => c.notNull())
      .addColumn('catalog_entry', 'text', (c) => c.notNull()) // JSON snapshot: the catalog may drop it later
      .addColumn('installed_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('active_models')
      .addColumn('role', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('installed_models.model_id'))
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists active_models`.execute(db);
    await sql`drop table if exists installed_models`.execute(db);
  },
};
