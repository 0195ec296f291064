import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Measured costs: each cost row says how much of what it counts (tokens, characters, line seconds)
 * and from which provider; lines get the carrier's per-minute rate.
 */
export const callUsage: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('call_costs').addColumn('quantity', 'real').execute();
    await db.schema.alterTable('call_costs').addColumn('unit', 'text').execute();
    await db.schema.alterTable('call_costs').addColumn('provider_id', 'text').execute();
    await db.schema.alterTable('lines').addColumn('rate_per_minute_usd', 'real').execute();
  },
};
