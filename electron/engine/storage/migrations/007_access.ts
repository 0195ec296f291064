import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Accounts, their sessions (token hashes only) and the append-only audit log. */
export const access: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text') // shown to other desk agents ("Dana Reyes has this call")
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('campaign_ids', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array
      .addColumn('password_hash', 'text') // argon2id PHC string; null until a password is set
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'integer')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey()) // sha256 of the token: a leaked database signs no one in
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('last_seen_at', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull()) // username at the time
      .addColumn('actor_id', 'text')
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull()) // JSON
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    // Append-only: the database itself refuses to change or delete an entry.
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit log is append-only'); end`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists audit_log`.execute(db);
    await sql`drop table if exists sessions`.execute(db);
    await sql`drop table if exists users`.execute(db);
  },
};
