import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ParleyError } from '../../contracts';
import type { Logger } from '../logging';
import { integrityProblems } from './integrity';

export type BackupKind = 'daily' | 'manual' | 'before-migration';

export interface BackupInfo {
  file: string;
  kind: BackupKind;
  at: number;
  bytes: number;
}

export interface BackupOptions {
  /** Daily and manual backups kept (newest first); default 7. Before-migration backups: the newest 3. */
  keep?: number;
}

const NAME = /^parley-(\d{8}T\d{6}Z)-(daily|manual|before-migration)\.db$/;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Online backups of the database with SQLite's backup API (better-sqlite3 copies it in steps, so a
 * live call's audio is never held up), in `<dataDir>/backups`: before every migration, daily on the
 * hosts that run campaigns, and on demand (`parley db backup`). Old ones are pruned by count.
 */
export class Backups {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<BackupInfo> | undefined;
  readonly dir: string;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    dataDir: string,
    private readonly options: BackupOptions = {},
    private readonly logger?: Logger,
  ) {
    this.dir = join(dataDir, 'backups');
  }

  /** Copies the live database to a new file; one at a time. */
  create(kind: BackupKind, now = new Date()): Promise<BackupInfo> {
    this.running ??= this.copy(kind, now).finally(() => (this.running = undefined));
    return this.running;
  }

  list(): BackupInfo[] {
    return listBackups(this.dir);
  }

  /** Checks every hour whether the newest daily backup is a day old, and makes one if so. */
  scheduleDaily(): void {
    const check = () => {
      const newest = this.list().find((b) => b.kind === 'daily');
      if (newest && Date.now() - newest.at < DAY_MS) return;
      this.create('daily').catch((error: unknown) => this.logger?.error({ err: error }, 'daily database backup failed'));
    };
    this.timer ??= setInterval(check, 60 * 60_000);
    this.timer.unref();
    check();
  }

  async dispose(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async copy(kind: BackupKind, now: Date): Promise<BackupInfo> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const file = join(this.dir, `parley-${stamp}-${kind}.db`);
    const partial = `${file}.partial`;
    try {
      await this.sqlite.backup(partial);
      chmodSync(partial, 0o600);
      renameSync(partial, file);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    this.prune();
    const info = { file, kind, at: now.getTime(), bytes: statSync(file).size };
    this.logger?.info({ file, kind, bytes: info.bytes }, 'database backed up');
    return info;
  }

  private prune(): void {
    const keep = Math.max(1, this.options.keep ?? 7);
    const all = this.list();
    const regular = all.filter((b) => b.kind !== 'before-migration').slice(keep);
    const migrations = all.filter((b) => b.kind === 'before-migration').slice(3);
    for (const backup of [...regular, ...migrations]) rmSync(backup.file, { force: true });
  }
}

/** The backups in a folder, newest first. */
export function listBackups(dir: string): BackupInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, match: NAME.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => {
      const iso = match[1]!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
      return { file: join(dir, name), kind: match[2] as BackupKind, at: Date.parse(iso), bytes: statSync(join(dir, name)).size };
    })
    .sort((a, b) => b.at - a.at);
}

/**
 * Puts a backup in place of `<dataDir>/parley.db`. The backup is checked first (a sound SQLite file
 * with Parley's schema); the current database (and its -wal/-shm) is kept beside it as
 * `parley.db.before-restore-<time>`, never deleted. Parley must not be running on the folder.
 */
export function restoreBackup(dataDir: string, backupFile: string, now = new Date()): { replacedWith: string; keptAs: string | null } {
  if (!existsSync(backupFile)) throw new ParleyError('not_found', `No backup at ${backupFile}`);
  let problems: string[];
  try {
    const candidate = new BetterSqlite3(backupFile, { readonly: true, fileMustExist: true });
    try {
      problems = integrityProblems(candidate, 'full');
      const hasSchema = candidate.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
      if (!hasSchema) problems.push('it has no Parley schema');
    } finally {
      candidate.close();
    }
  } catch (error) {
    problems = [(error as Error).message];
  }
  if (problems.length > 0) throw new ParleyError('conflict', `${backupFile} cannot be restored: ${problems.slice(0, 3).join('; ')}`);

  const db = join(dataDir, 'parley.db');
  let keptAs: string | null = null;
  if (existsSync(db)) {
    keptAs = `${db}.before-restore-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    renameSync(db, keptAs);
    for (const suffix of ['-wal', '-shm']) if (existsSync(db + suffix)) renameSync(db + suffix, keptAs + suffix);
  }
  copyFileSync(backupFile, db);
  chmodSync(db, 0o600);
  return { replacedWith: backupFile, keptAs };
}
