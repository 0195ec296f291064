import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadQueryWorker } from '../../../electron/engine/storage/read-query-worker';
import { tempDataDir } from '../../support/temp-dir';

const data = tempDataDir('parley-read-worker-');
const sqlite = new BetterSqlite3(join(data.dir, 'test.db'));
sqlite.pragma('journal_mode = WAL');
sqlite.exec('create table t (n integer)');
sqlite.prepare('insert into t (n) values (?)').run(41);
const reads = new ReadQueryWorker(sqlite);
afterAll(async () => {
  await reads.dispose();
  sqlite.close();
  data.cleanup();
});

// A query that keeps SQLite busy for a while: counting four million rows of a recursive sequence.
const SLOW = CompiledQuery.raw('with recursive s(i) as (select 1 union all select i + 1 from s where i < ?) select count(*) as n from s', [4_000_000]);

describe('ReadQueryWorker', () => {
  it('answers a slow read on its own thread while the event loop keeps its pace', async () => {
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const rows = await reads.all<{ n: number }>(SLOW);
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(rows).toEqual([{ n: 4_000_000 }]);
    // The same query in-process would hold the loop for all of `took`.
    expect(took).toBeGreaterThan(100);
    expect(worstGap).toBeLessThan(took / 2);
  });

  it('sees rows the engine committed, and reports a bad query as an error', async () => {
    sqlite.prepare('insert into t (n) values (?)').run(1);
    expect(await reads.all<{ total: number }>(CompiledQuery.raw('select sum(n) as total from t', []))).toEqual([{ total: 42 }]);
    await expect(reads.all(CompiledQuery.raw('select nope from t', []))).rejects.toThrow(/no such column/);
  });
});
