import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Spending limits: one row for the office (`scope` = 'office') and one per campaign that has any. */
export const budgets: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('budgets')
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('daily_usd', 'real')
      .addColumn('monthly_usd', 'real')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('call_costs_created').on('call_costs').columns(['created_at']).execute();
  },
};
