import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Which voice spoke each agent turn: 'standard' (the office voice) or 'premium' (a campaign's premium provider). */
export const voiceTier: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('transcript_turns').addColumn('voice_tier', 'text').execute();
  },
};
