import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Review of past calls: full-text search over transcripts (FTS5 external-content index kept in step
 * by triggers), notes on a call, saved views of the calls list, legal hold, the retention purge log
 * and the one-way hashes of erased numbers that stay on the do-not-call list.
 */
export const review: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table calls add column legal_hold integer not null default 0`.execute(db);
    // The calls list pages newest first by (created_at, id).
    await db.schema.createIndex('calls_created').on('calls').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('calls_line').on('calls').columns(['line_id', 'created_at']).execute();
    // Sorting by duration pages through this index; the expression must stay the one calls-query.ts sorts by.
    await sql`create index calls_duration on calls (coalesce(case when ended_at is null then null else ended_at - coalesce(answered_at, started_at, created_at) end, -1), id)`.execute(db);
    await db.schema.createIndex('call_analysis_score').on('call_analysis').columns(['qualification', 'call_id']).execute();

    await sql`create virtual table transcript_fts using fts5(text, content='transcript_turns', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
    await sql`create trigger transcript_fts_insert after insert on transcript_turns begin
      insert into transcript_fts(rowid, text) values (new.id, new.text); end`.execute(db);
    await sql`create trigger transcript_fts_delete after delete on transcript_turns begin
      insert into transcript_fts(transcript_fts, rowid, text) values ('delete', old.id, old.text); end`.execute(db);
    await sql`create trigger transcript_fts_update after update of text on transcript_turns begin
      insert into transcript_fts(transcript_fts, rowid, text) values ('delete', old.id, old.text);
      insert into transcript_fts(rowid, text) values (new.id, new.text); end`.execute(db);
    await sql`insert into transcript_fts(transcript_fts) values ('rebuild')`.execute(db);
    // Deleted turns leave the index at once (not at the next merge): erasure and retention leave no words behind.
    await sql`insert into transcript_fts(transcript_fts, rank) values ('secure-delete', 1)`.execute(db);

    await db.schema
      .createTable('call_notes')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
      .addColumn('author_id', 'text')
      .addColumn('author', 'text', (c) => c.notNull()) // username at the time
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('call_notes_call').on('call_notes').columns(['call_id', 'id']).execute();

    await db.schema
      .createTable('saved_views')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull()) // JSON CallsQuery (filter + sort)
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addUniqueConstraint('saved_views_user_name', ['user_id', 'name'])
      .execute();

    await db.schema
      .createTable('retention_purges')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('campaign_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull()) // 'recording' | 'transcript'
      .addColumn('detail', 'text', (c) => c.notNull()) // JSON: rows, bytes, file
      .execute();
    await db.schema.createIndex('retention_purges_at').on('retention_purges').column('at').execute();

    await db.schema
      .createTable('dnc_hashes')
      .addColumn('phone_hash', 'text', (c) => c.primaryKey()) // HMAC-SHA256 of the E.164 number, per-install key
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('added_at', 'integer', (c) => c.notNull())
      .execute();
  },
};
