import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The voice pipeline's per-call record (engines used, real-time factor, dropped frames, barge-ins).
 * Transcript turns go to `transcript_turns` and per-turn latency to `call_events` (kind
 * `turn.latency`), both from 001.
 */
export const voice: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('call_voice')
      .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id'))
      .addColumn('agent_kind', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      .addColumn('stt', 'text', (c) => c.notNull())
      .addColumn('llm', 'text')
      .addColumn('tts', 'text', (c) => c.notNull())
      .addColumn('vad', 'text', (c) => c.notNull())
      .addColumn('telephony', 'text', (c) => c.notNull())
      .addColumn('answered_by', 'text')
      .addColumn('ended_by', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('detail', 'text')
      .addColumn('real_time_factor', 'real')
      .addColumn('dropped_frames', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('underruns', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('interruptions', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('voicemail_left', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    // Per-call latency lookups (the call's `turn.latency` events) and transcript reads by call.
    await db.schema.createIndex('call_events_call_kind').on('call_events').columns(['call_id', 'kind', 'at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index if exists call_events_call_kind`.execute(db);
    await sql`drop table if exists call_voice`.execute(db);
  },
};
