import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from '../../../electron/engine/storage/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine';
import { openStore } from '../../../electron/engine/storage/database';
import { repoRoot } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';

const cli = join(repoRoot, 'out/server/cli.js');
const built = existsSync(cli);
if (!built) {
  if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
  console.warn('[not run] parley db command tests: out/server/cli.js is not built (npm run build)');
}

function parley(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A data folder with a real database holding `n` contacts. */
async function folderWithContacts(n: number): Promise<{ dir: string; cleanup: () => void }> {
  const data = tempDataDir('parley-db-');
  const engine = await createEngine({ dataDir: data.dir, logLevel: 'silent' });
  const rows = ['name,phone', ...Array.from({ length: n }, (_, i) => `Person ${i},+1 312 555 ${String(1000 + i).padStart(4, '0')}`)].join('\n');
  const begin = await engine.invoke('contacts.importBegin', { fileName: 'c.csv', options: {} });
  if (!begin.ok) throw new Error(begin.error.message);
  const id = (begin.result as { importId: string }).importId;
  await engine.invoke('contacts.importChunk', { importId: id, data: Buffer.from(rows).toString('base64') });
  const done = await engine.invoke('contacts.importFinish', { importId: id });
  if (!done.ok) throw new Error(done.error.message);
  await engine.dispose();
  return data;
}

const contactCount = (dir: string) => {
  const db = new BetterSqlite3(join(dir, 'parley.db'), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from contacts').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('a database that is lost or damaged is refused, never started as empty', () => {
  it('a zero-length database in a folder that had one: refused, naming the file and the way back', async () => {
    const data = await folderWithContacts(20);
    try {
      truncateSync(join(data.dir, 'parley.db'));
      rmSync(join(data.dir, 'parley.db-wal'), { force: true });
      await expect(createEngine({ dataDir: data.dir, logLevel: 'silent' })).rejects.toThrow(/parley\.db is empty \(0 bytes\).*parley db restore/s);
      // Nothing was created over it.
      expect(statSync(join(data.dir, 'parley.db')).size).toBe(0);
    } finally {
      data.cleanup();
    }
  });

  it('random bytes over the header: "not a readable Parley database", not a failed migration', async () => {
    const data = await folderWithContacts(5);
    try {
      const fd = openSync(join(data.dir, 'parley.db'), 'r+');
      writeSync(fd, Buffer.from('this is not sqlite at all, just bytes'), 0, 37, 0);
      closeSync(fd);
      await expect(openStore(data.dir)).rejects.toThrow(/is not a readable Parley database.*parley db restore/s);
    } finally {
      data.cleanup();
    }
  });

  it('damaged pages: refused at start, `parley db check` says so with exit status 1, and a backup brings it back', async () => {
    if (!built) return;
    const data = await folderWithContacts(3_000);
    try {
      const backup = parley('db', 'backup', '--data', data.dir, '--json');
      expect(backup.status, backup.stderr).toBe(0);
      const { file } = JSON.parse(backup.stdout) as { file: string };
      expect(parley('db', 'check', '--data', data.dir).stdout).toContain(': ok');

      // Overwrite pages in the middle of the contacts table with garbage.
      const path = join(data.dir, 'parley.db');
      const db = new BetterSqlite3(path);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.close();
      const fd = openSync(path, 'r+');
      for (let page = Math.floor(pages / 2); page < Math.floor(pages / 2) + 4; page++) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, page * pageSize);
      closeSync(fd);

      await expect(createEngine({ dataDir: data.dir, logLevel: 'silent' })).rejects.toThrow(/is damaged.*parley db restore/s);
      const check = parley('db', 'check', '--data', data.dir, '--json');
      expect(check.status).toBe(1);
      expect(JSON.parse(check.stdout)).toMatchObject({ ok: false });

      const restore = parley('db', 'restore', file, '--data', data.dir, '--json');
      expect(restore.status, restore.stderr).toBe(0);
      const kept = (JSON.parse(restore.stdout) as { keptAs: string }).keptAs;
      expect(existsSync(kept)).toBe(true); // the damaged file is kept, not deleted
      const engine = await createEngine({ dataDir: data.dir, logLevel: 'silent' });
      await engine.dispose();
      expect(contactCount(data.dir)).toBe(3_000);
    } finally {
      data.cleanup();
    }
  });

  it('restore is refused while Parley runs on the folder; a schema update makes a backup first', async () => {
    if (!built) return;
    const data = await folderWithContacts(10);
    try {
      // A database made by an older Parley (only the first three schema versions): the next start must back it up before migrating.
      rmSync(join(data.dir, 'parley.db'));
      rmSync(join(data.dir, 'parley.db-wal'), { force: true });
      rmSync(join(data.dir, 'parley.db-shm'), { force: true });
      const older = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(data.dir, 'parley.db')) }) });
      const firstThree = Object.fromEntries(Object.entries(migrations).sort(([a], [b]) => a.localeCompare(b)).slice(0, 3));
      const migrated = await new Migrator({ db: older, provider: { getMigrations: async () => firstThree } }).migrateToLatest();
      await older.destroy();
      expect(migrated.error).toBeUndefined();
      const engine = await createEngine({ dataDir: data.dir, logLevel: 'silent', dialer: { mode: 'manual' } });
      try {
        const backups = readdirSync(join(data.dir, 'backups'));
        expect(backups.some((name) => name.endsWith('-before-migration.db'))).toBe(true);
        const file = join(data.dir, 'backups', backups.find((name) => name.endsWith('-before-migration.db'))!);
        const refused = parley('db', 'restore', file, '--data', data.dir);
        expect(refused.status).toBe(4); // refused by policy
        expect(refused.stderr).toMatch(/Parley is running on .*stop it before restoring/);
      } finally {
        await engine.dispose();
      }
    } finally {
      data.cleanup();
    }
  });
});

/** A read-only file system, for real: a tmpfs mounted read-only (needs root; CI runs as root). */
const roRoot = tempDataDir('parley-ro-');
const roMount = join(roRoot.dir, 'ro');
let mounted = false;
beforeAll(() => {
  mkdirSync(roMount);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', roMount], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error('CI must be able to mount a tmpfs (runs as root)', { cause: error });
    console.warn(`[not run] read-only data folder test: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`);
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', roMount]);
  roRoot.cleanup();
});

describe('a data folder Parley cannot write', () => {
  it('says the folder is on a read-only file system, not "ENOENT mkdir logs"', async () => {
    if (!mounted) return;
    await expect(createEngine({ dataDir: roMount })).rejects.toThrow(new RegExp(`data folder ${roMount} is on a read-only file system \\[EROFS\\]`));
  });
});
