import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The office's chosen provider per role (at most one active row per role; none: local models). */
export const providerChoice: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('providers').addColumn('active', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
