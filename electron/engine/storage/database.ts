import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { ParleyError } from '../../contracts';
import { migrations } from './migrations';
import type { Database } from './schema';
import { PHONE_HASH_SQL_FUNCTION, phoneHash, phoneHashKey } from './phone-hash';
import { ReadQueryWorker } from './read-query-worker';

export interface Store {
  db: Kysely<Database>;
  /** The raw connection, for hot paths that want prepared statements and synchronous transactions. */
  sqlite: BetterSqlite3.Database;
  path: string;
  /** Long read-only queries, run on their own thread and connection (see read-query-worker.ts). */
  reads: ReadQueryWorker;
  dispose(): Promise<void>;
}

/** Opens (or creates) `<dataDir>/parley.db` in WAL mode and brings its schema up to date. */
export async function openStore(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'parley.db');
  let sqlite: BetterSqlite3.Database;
  try {
    // Owner-only (0600): the database holds contacts, transcripts and accounts. SQLite gives its -wal
    // and -shm files the database file's mode; files from an older version are tightened too.
    closeSync(openSync(path, 'a', 0o600));
    for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
    sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only a power cut may lose the last commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Deleted and rewritten rows are zeroed inside their pages (no extra I/O), so erasure and retention leave no old copies.
    sqlite.pragma('secure_delete = fast');
    const key = phoneHashKey(dataDir);
    sqlite.function(PHONE_HASH_SQL_FUNCTION, { deterministic: true }, (phone: unknown) => (typeof phone === 'string' ? phoneHash(key, phone) : null));
  } catch (error) {
    throw new ParleyError('unavailable', `Cannot open the database at ${path}: ${(error as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  // Migrations are written on parallel branches; one merged below an already-applied number must still run.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new ParleyError('unavailable', `Database migration ${failed} failed: ${(error as Error).message}`);
  }
  const reads = new ReadQueryWorker(sqlite);
  return {
    db,
    sqlite,
    path,
    reads,
    dispose: async () => {
      await reads.dispose();
      await db.destroy();
    },
  };
}
