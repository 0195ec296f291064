import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/engine/storage/migrations';
import { openStore } from '../../../electron/engine/storage/database';
import { tempDataDir } from '../../support/temp-dir';

const work = tempDataDir('parley-dnc-migration-');
afterAll(() => work.cleanup());

describe('migration 012 on a store that already has a do-not-call list', () => {
  it('gives every listed number a first history entry from what its row says', async () => {
    const path = join(work.dir, 'parley.db');
    const sqlite = new BetterSqlite3(path);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '012'));
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => before }, allowUnorderedMigrations: true }).migrateToLatest();
    expect(error).toBeUndefined();
    sqlite.prepare("insert into dnc_numbers (phone_e164, reason, source, call_id, added_at) values ('+14155550199', 'asked', 'console', null, 1000), ('+12125550147', 'stop calling me', 'call', 'call-7', 2000)").run();
    await db.destroy();

    const store = await openStore(work.dir);
    try {
      const rows = store.sqlite.prepare('select phone_e164, action, actor, reason, source, call_id, at from dnc_history order by phone_e164').all();
      expect(rows).toEqual([
        { phone_e164: '+12125550147', action: 'add', actor: 'caller on call call-7', reason: 'stop calling me', source: 'call', call_id: 'call-7', at: 2000 },
        { phone_e164: '+14155550199', action: 'add', actor: 'before history was kept', reason: 'asked', source: 'console', call_id: null, at: 1000 },
      ]);
      expect(store.sqlite.prepare('select first_audio_ms, abandoned from calls limit 0').columns().map((c) => c.name)).toEqual(['first_audio_ms', 'abandoned']);
    } finally {
      await store.dispose();
    }
  });
});
