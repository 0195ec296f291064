import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError } from '../../contracts';

/**
 * Checks that keep a damaged or missing database from passing as an empty one. Each refusal names
 * the file and says how to recover (restore a backup with `parley db restore`).
 */

/** Written beside the database once it first opens: a later empty or missing database is then a loss, not a first start. */
export const STORE_MARKER = 'parley.db.created';

export function recoverySteps(dataDir: string): string {
  return `To recover: stop Parley, then restore the newest backup with \`parley db restore <file> --data ${dataDir}\` (backups are kept in ${join(dataDir, 'backups')}; \`parley db backups --data ${dataDir}\` lists them). To start over instead, move the data folder aside.`;
}

/** The data folder exists (or can be made) and this user can write it; otherwise one clear error. */
export function ensureWritableDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK | constants.R_OK | constants.X_OK);
    // access() says yes on a read-only file system to root: only a real write proves it.
    const probe = join(dataDir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const why =
      code === 'EROFS'
        ? 'is on a read-only file system'
        : code === 'EACCES' || code === 'EPERM'
          ? 'is not writable by this user (check its owner and permissions)'
          : code === 'ENOSPC'
            ? 'is on a full disk'
            : `cannot be used (${(error as Error).message})`;
    throw new ParleyError('unavailable', `The data folder ${dataDir} ${why} [${code}]. Parley keeps its database, logs and recordings there; choose another folder with --data or fix it.`);
  }
}

/** Before opening: a database that should exist (the marker says so) but is missing or empty is refused. */
export function checkNotLost(dataDir: string, dbPath: string): void {
  const marker = join(dataDir, STORE_MARKER);
  if (!existsSync(marker)) return;
  const size = existsSync(dbPath) ? statSync(dbPath).size : -1;
  if (size > 0) return;
  const created = readFileSync(marker, 'utf8').trim();
  const state = size < 0 ? 'is missing' : 'is empty (0 bytes)';
  throw new ParleyError('unavailable', `The database ${dbPath} ${state}, but this data folder has held one since ${created || 'an earlier start'}: starting would look like a fresh install and hide what was lost. ${recoverySteps(dataDir)}`);
}

export function writeMarker(dataDir: string, now = new Date()): void {
  const marker = join(dataDir, STORE_MARKER);
  if (!existsSync(marker)) writeFileSync(marker, `${now.toISOString()}\n`, { mode: 0o600 });
}

/** `PRAGMA quick_check` (start-up) or `integrity_check` (on demand): the problems found, none when sound. */
export function integrityProblems(sqlite: BetterSqlite3.Database, mode: 'quick' | 'full', limit = 20): string[] {
  const rows = sqlite.pragma(`${mode === 'quick' ? 'quick_check' : 'integrity_check'}(${limit})`) as Array<Record<string, string>>;
  const lines = rows.map((row) => Object.values(row)[0] ?? '');
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** What a failure to open or read the file means, in words a person can act on. */
export function describeOpenFailure(dbPath: string, dataDir: string, error: unknown): ParleyError {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB' || /not a database/i.test(message)) {
    return new ParleyError('unavailable', `${dbPath} is not a readable Parley database (its header is damaged or it is another kind of file). ${recoverySteps(dataDir)}`);
  }
  if (code.startsWith('SQLITE_CORRUPT') || /malformed/i.test(message)) {
    return new ParleyError('unavailable', `The database ${dbPath} is damaged (${message}). ${recoverySteps(dataDir)}`);
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS') {
    return new ParleyError('unavailable', `Cannot open ${dbPath} for writing (${message}): check the owner and permissions of the file and of ${dataDir}, or whether the disk is read-only.`);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new ParleyError('unavailable', `The disk holding ${dbPath} is full: free some space and start Parley again.`);
  }
  return new ParleyError('unavailable', `Cannot open the database at ${dbPath}: ${message}`);
}
