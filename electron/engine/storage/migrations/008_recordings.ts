import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * One row per recorded call. The file lives under the data folder (path relative to it); sha256,
 * duration and size are filled when the recording is closed, or by the recovery pass after a crash.
 */
export const recordings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('call_recordings')
      .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id'))
      .addColumn('path', 'text', (c) => c.notNull()) // relative to the data folder
      .addColumn('format', 'text', (c) => c.notNull()) // 'ogg-opus'
      .addColumn('sample_rate', 'integer', (c) => c.notNull())
      .addColumn('channels', 'integer', (c) => c.notNull()) // 2: caller left, what the caller heard right
      .addColumn('status', 'text', (c) => c.notNull()) // 'recording' | 'complete' | 'recovered' | 'purged'
      .addColumn('started_at', 'integer', (c) => c.notNull()) // epoch ms of the recording's first sample
      .addColumn('ended_at', 'integer')
      .addColumn('duration_ms', 'integer')
      .addColumn('bytes', 'integer')
      .addColumn('sha256', 'text')
      .execute();
    await db.schema.createIndex('call_recordings_status').on('call_recordings').column('status').execute();
  },
};
