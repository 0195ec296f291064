import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { ParleyError } from '../../contracts';
import { migrations } from './migrations';
import type { Database } from './schema';
import { PHONE_HASH_SQL_FUNCTION, phoneHash, phoneHashKey } from './phone-hash';
import { ReadQueryWorker } from './read-query-worker';
import { Backups, type BackupOptions } from './backups';
import { checkNotLost, describeOpenFailure, ensureWritableDataDir, integrityProblems, recoverySteps, writeMarker } from './integrity';

export interface Store {
  db: Kysely<Database>;
  /** The raw connection, for hot paths that want prepared statements and synchronous transactions. */
  sqlite: BetterSqlite3.Database;
  path: string;
  /** Long read-only queries, run on their own thread and connection (see read-query-worker.ts). */
  reads: ReadQueryWorker;
  /** Online backups in `<dataDir>/backups` (one is made before any migration runs). */
  backups: Backups;
  dispose(): Promise<void>;
}

export interface StoreOptions {
  backups?: BackupOptions;
}

/**
 * Opens (or creates) `<dataDir>/parley.db` in WAL mode, checks it (refusing a lost, foreign or damaged
 * file with the way to recover), backs it up if a migration is due, and brings its schema up to date.
 */
export async function openStore(dataDir: string, options: StoreOptions = {}): Promise<Store> {
  ensureWritableDataDir(dataDir);
  const path = join(dataDir, 'parley.db');
  checkNotLost(dataDir, path);
  let sqlite: BetterSqlite3.Database | undefined;
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
    const problems = integrityProblems(sqlite, 'quick');
    if (problems.length > 0) {
      throw new ParleyError('unavailable', `The database ${path} is damaged (${problems.slice(0, 3).join('; ')}). ${recoverySteps(dataDir)}`);
    }
  } catch (error) {
    sqlite?.close();
    throw error instanceof ParleyError ? error : describeOpenFailure(path, dataDir, error);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const backups = new Backups(sqlite, dataDir, options.backups);
  // Migrations are written on parallel branches; one merged below an already-applied number must still run.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const pending = (await migrator.getMigrations()).some((m) => m.executedAt === undefined);
  const hasData = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get() !== undefined;
  if (pending && hasData) {
    try {
      await backups.create('before-migration');
    } catch (error) {
      await db.destroy();
      throw new ParleyError('unavailable', `A schema update is due, and the backup made before it failed (${(error as Error).message}): nothing was changed. Free some disk space and start again.`);
    }
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new ParleyError('unavailable', `Database migration ${failed} failed: ${(error as Error).message}`);
  }
  writeMarker(dataDir);
  const reads = new ReadQueryWorker(sqlite);
  return {
    db,
    sqlite,
    path,
    reads,
    backups,
    dispose: async () => {
      await backups.dispose();
      await reads.dispose();
      await db.destroy();
    },
  };
}
