import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ParleyError } from '../../contracts';
import { defaultDataDir } from '../paths';

/** SQLite and the storage helpers, loaded when a db command runs (not when `parley` starts). */
async function storage() {
  const [sqlite, lease, backups, integrity] = await Promise.all([import('better-sqlite3'), import('../../engine/dialer/dialer-lease'), import('../../engine/storage/backups'), import('../../engine/storage/integrity')]);
  return { BetterSqlite3: sqlite.default, leaseHolder: lease.leaseHolder, Backups: backups.Backups, listBackups: backups.listBackups, restoreBackup: backups.restoreBackup, integrityProblems: integrity.integrityProblems };
}

interface Flags {
  data?: string;
  json?: boolean;
}

/**
 * `parley db check|backup|backups|restore`: the database file itself, without starting an engine
 * (so they work on a database the engine refuses to open). `check` runs SQLite's full integrity
 * check; `restore` refuses while Parley runs on the folder and keeps the replaced file.
 */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('check, back up and restore the database');
  const common = (command: Command) => command.option('--data <dir>', 'data folder (database, logs, models)').option('--json', 'print JSON instead of text');
  const dataDir = (flags: Flags) => resolve(flags.data ?? defaultDataDir());
  const dbPath = (flags: Flags) => {
    const path = join(dataDir(flags), 'parley.db');
    if (!existsSync(path)) throw new ParleyError('not_found', `No database at ${path}`);
    return path;
  };

  common(db.command('check').description('full integrity check of the database (exit status 1 when damaged)')).action(async (flags: Flags) => {
    const { BetterSqlite3, integrityProblems } = await storage();
    const path = dbPath(flags);
    let problems: string[];
    try {
      const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
      try {
        problems = integrityProblems(sqlite, 'full', 100);
      } finally {
        sqlite.close();
      }
    } catch (error) {
      problems = [(error as Error).message];
    }
    if (flags.json) console.log(JSON.stringify({ file: path, ok: problems.length === 0, problems }));
    else if (problems.length === 0) console.log(`${path}: ok`);
    else console.log(`${path} is damaged:\n${problems.map((p) => `  ${p}`).join('\n')}\nRestore a backup: parley db backups --data ${dataDir(flags)}, then parley db restore <file> --data ${dataDir(flags)}`);
    if (problems.length > 0) process.exitCode = 1;
  });

  common(db.command('backup').description('copy the live database to <data>/backups (safe while Parley runs)')).action(async (flags: Flags) => {
    const { BetterSqlite3, Backups } = await storage();
    const sqlite = new BetterSqlite3(dbPath(flags), { fileMustExist: true });
    const backups = new Backups(sqlite, dataDir(flags));
    try {
      const info = await backups.create('manual');
      if (flags.json) console.log(JSON.stringify(info));
      else console.log(`Backed up to ${info.file} (${Math.round(info.bytes / 1024)} kB)`);
    } finally {
      await backups.dispose();
      sqlite.close();
    }
  });

  common(db.command('backups').description('list the backups, newest first')).action(async (flags: Flags) => {
    const { listBackups } = await storage();
    const list = listBackups(join(dataDir(flags), 'backups'));
    if (flags.json) return console.log(JSON.stringify(list));
    if (list.length === 0) return console.log('No backups yet.');
    for (const b of list) console.log(`${new Date(b.at).toISOString()}  ${b.kind.padEnd(16)}  ${String(Math.round(b.bytes / 1024)).padStart(8)} kB  ${b.file}`);
  });

  common(db.command('restore').description('replace the database with a backup (Parley must be stopped); the current file is kept aside').argument('<file>')).action(
    async (file: string, flags: Flags) => {
      const { BetterSqlite3, leaseHolder, restoreBackup } = await storage();
      const dir = dataDir(flags);
      const path = join(dir, 'parley.db');
      if (existsSync(path)) {
        let holder: string | undefined;
        try {
          const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
          try {
            holder = leaseHolder(sqlite);
          } finally {
            sqlite.close();
          }
        } catch {
          holder = undefined; // a damaged file has no readable lease: restoring it is the point
        }
        if (holder) throw new ParleyError('conflict', `Parley is running on ${dir} (${holder}): stop it before restoring`);
      }
      const result = restoreBackup(dir, resolve(file));
      if (flags.json) console.log(JSON.stringify(result));
      else console.log(`Restored ${result.replacedWith}.${result.keptAs ? ` The previous database is kept as ${result.keptAs}.` : ''}`);
    },
  );
}
