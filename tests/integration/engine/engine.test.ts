import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, ParleyError, type EngineEvent } from '../../../electron/contracts';
import { createEngine, ManualClock, type Engine } from '../../../electron/engine';
import { tempDataDir } from '../../support/temp-dir';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function engineIn(dir: string, clock = new ManualClock()): Promise<Engine> {
  const engine = await createEngine({ dataDir: dir, clock, host: 'test', version: '9.9.9' });
  cleanups.push(() => engine.dispose());
  return engine;
}

function tempDir(): string {
  const t = tempDataDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('engine', () => {
  it('creates, lists, edits and deletes a campaign through the typed client', async () => {
    const engine = await engineIn(tempDir());
    const client = createClient(engine.transport());
    const created = await client.call('campaigns.create', { name: 'Renewals', agentPrompt: 'Be brief.', questions: ['Renew?'] });
    expect(created).toMatchObject({ name: 'Renewals', agentPrompt: 'Be brief.', questions: ['Renew?'], status: 'draft' });

    const updated = await client.call('campaigns.update', { id: created.id, patch: { name: 'Renewals Q3', questions: ['Renew?', 'When?'] } });
    expect(updated.name).toBe('Renewals Q3');
    expect(updated.agentPrompt).toBe('Be brief.');
    expect(updated.questions).toEqual(['Renew?', 'When?']);

    expect((await client.call('campaigns.list', {})).map((c) => c.id)).toEqual([created.id]);
    await client.call('campaigns.delete', { id: created.id });
    expect(await client.call('campaigns.list', {})).toEqual([]);
    await expect(client.call('campaigns.get', { id: created.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps campaigns across a restart and migrates an existing store without loss', async () => {
    const dir = tempDir();
    const first = await createEngine({ dataDir: dir, host: 'test' });
    const created = await createClient(first.transport()).call('campaigns.create', { name: 'Survives restart' });
    await first.dispose();

    const second = await engineIn(dir);
    const list = await createClient(second.transport()).call('campaigns.list', {});
    expect(list).toEqual([created]);
    const migrations = second.context.store.sqlite.prepare('select name from kysely_migration order by name').all();
    expect(migrations.length).toBeGreaterThanOrEqual(1);
  });

  it('runs the database in WAL mode', async () => {
    const engine = await engineIn(tempDir());
    expect(engine.context.store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('answers bad input with typed errors and writes nothing', async () => {
    const engine = await engineIn(tempDir());
    const empty = await engine.invoke('campaigns.create', { name: '' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: 'name' }] } });
    const huge = await engine.invoke('campaigns.create', { name: 'x', agentPrompt: 'p'.repeat(1_000_000) });
    expect(huge).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await engine.invoke('campaigns.create', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await engine.invoke('campaigns.drop_all', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await engine.invoke('campaigns.update', { id: 'missing', patch: { name: 'y' } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const rows = engine.context.store.sqlite.prepare('select count(*) as n from campaigns').get() as { n: number };
    expect(rows.n).toBe(0);
  });

  it('emits events to subscribers and stamps times from the injected clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 30));
    const engine = await engineIn(tempDir(), clock);
    const seen: EngineEvent[] = [];
    engine.subscribe((e) => seen.push(e));
    const created = await createClient(engine.transport()).call('campaigns.create', { name: 'Evented' });
    expect(created.createdAt).toBe('2026-03-01T09:30:00.000Z');
    clock.advance(60_000);
    await engine.invoke('campaigns.delete', { id: created.id });
    expect(seen.map((e) => e.name)).toEqual(['campaign.changed', 'campaign.deleted']);
  });

  it('writes structured logs to the data folder and refuses commands after dispose', async () => {
    const dir = tempDir();
    const engine = await createEngine({ dataDir: dir, host: 'test' });
    await engine.invoke('campaigns.create', { name: 'Logged' });
    await engine.dispose();
    const log = join(dir, 'logs', 'parley.log');
    expect(existsSync(log)).toBe(true);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['engine started', 'campaign created', 'engine stopped']));
    expect(await engine.invoke('campaigns.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('throws ParleyError from the in-process transport', async () => {
    const engine = await engineIn(tempDir());
    const error = await createClient(engine.transport())
      .call('campaigns.create', { name: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
  });
});

describe('migrations', () => {
  it('applies a migration numbered below one the store already ran (merged from a parallel branch)', async () => {
    const dir = tempDir();
    const { migrations } = await import('../../../electron/engine/storage/migrations');
    const { openStore } = await import('../../../electron/engine/storage/database');
    const BetterSqlite3 = (await import('better-sqlite3')).default;
    const { Kysely, SqliteDialect } = await import('kysely');
    const { Migrator } = await import('kysely/migration');
    const names = Object.keys(migrations).sort();
    const skipped = names[names.length - 2]!; // the last but one, so a later one runs first
    const older = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== skipped));
    const db = new Kysely({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'parley.db')) }) });
    const first = await new Migrator({ db, provider: { getMigrations: async () => older } }).migrateToLatest();
    expect(first.error).toBeUndefined();
    await db.destroy();

    const store = await openStore(dir);
    const applied = (store.sqlite.prepare('select name from kysely_migration').all() as Array<{ name: string }>).map((r) => r.name);
    await store.dispose();
    expect(applied.sort()).toEqual(names);
  });
});
