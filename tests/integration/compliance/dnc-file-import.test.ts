import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions, type ImportOptionsInput } from '../../../electron/contracts';
import { importDncFile } from '../../../electron/engine/contacts/dnc-file-import';
import { chunks, testEngine, type TestEngine } from '../dialer/harness';
import { tempDataDir } from '../../support/temp-dir';

let t: TestEngine;
const work = tempDataDir('parley-dnc-file-');
beforeAll(async () => {
  t = await testEngine();
}, 60_000);
afterAll(async () => {
  await t.dispose();
  work.cleanup();
});

const deps = (fileName: string) => ({ sqlite: t.engine.context.store.sqlite, clock: t.engine.context.clock, fileName });
const run = (data: string, options: ImportOptionsInput = {}, fileName = 'dnc-212.txt', chunkSize?: number) =>
  importDncFile(chunks(data, chunkSize), ImportOptions.parse({ target: 'dnc', ...options }), deps(fileName));
const listed = () => Number((t.engine.context.store.sqlite.prepare('select count(*) as n from dnc_numbers').get() as { n: number }).n);

describe('importing a do-not-call list file', () => {
  it('reads the registry format (10 digits a line, also area code and number as two fields), reports added / already present / invalid', async () => {
    const file = ['2125550101', '212,5550102', '', '12125550103\r', '2125550101', '1125550104', '21255501', '(212) 555-0105', ''].join('\n');
    const report = await run(file, { listName: 'US National DNC Registry, area code 212' }, 'dnc-212.txt', 7);
    expect(report).toMatchObject({ target: 'dnc', rows: 7, imported: 4, duplicates: 1, rejected: 2 });
    expect(report.rejections).toEqual([
      { line: 6, reason: '"1125550104" is not a 10-digit US number' },
      { line: 7, reason: '"21255501" is not a 10-digit US number' },
    ]);
    const history = await t.client.call('dnc.history', { phone: '+12125550103' });
    expect(history.entries).toMatchObject([{ action: 'add', actor: 'import dnc-212.txt', reason: 'US National DNC Registry, area code 212 (dnc-212.txt)', source: 'import' }]);
    expect((await t.client.call('dnc.list', { search: '2125550105' })).entries).toMatchObject([{ phone: '+12125550105', source: 'import' }]);
  });

  it('reads a CSV file with a phone column too', async () => {
    const report = await run('Name,Phone\nLee,415-555-0190\nAmara,not a number\n', {}, 'state-list.csv');
    expect(report).toMatchObject({ rows: 2, imported: 1, rejected: 1 });
    expect((await t.client.call('dnc.history', { phone: '+14155550190' })).entries[0]).toMatchObject({ actor: 'import state-list.csv', reason: 'Imported from state-list.csv' });
  });

  it('with checkOnly counts what it would add and writes nothing', async () => {
    const before = listed();
    const report = await run('2125550101\n3105550111\n3105550112\nbad\n', { checkOnly: true });
    expect(report).toMatchObject({ checkOnly: true, rows: 4, imported: 2, duplicates: 1, rejected: 1 });
    expect(listed()).toBe(before);
  });

  it('rejects an endless line without holding it', async () => {
    const report = await run(`2125550121\n${'9'.repeat(100_000)}\n2125550122\n`, {}, 'long.txt', 1_000);
    expect(report).toMatchObject({ rows: 3, imported: 2, rejected: 1 });
    expect(report.rejections[0]).toEqual({ line: 2, reason: 'The line is 100,000 characters long; a number is at most 200' });
  });

  it('streams a file of 1,000,000 numbers with flat memory, never blocking the event loop for long', async () => {
    const path = join(work.dir, 'national-1m.txt');
    const out = createWriteStream(path);
    for (let block = 0; block < 100; block++) {
      let text = '';
      for (let i = 0; i < 10_000; i++) text += `646${2_000_000 + block * 10_000 + i}\n`;
      if (!out.write(text)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let lastBeat = performance.now();
    let longestGap = 0;
    const beat = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - lastBeat);
      lastBeat = now;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    let report;
    try {
      report = await importDncFile(createReadStream(path, { highWaterMark: 256 * 1024 }), ImportOptions.parse({ target: 'dnc', listName: 'US National DNC Registry, area code 646' }), deps('national-1m.txt'));
    } finally {
      clearInterval(beat);
    }
    expect(report).toMatchObject({ rows: 1_000_000, imported: 1_000_000, rejected: 0 });
    expect((await t.client.call('dnc.list', { search: '6462999999' })).total).toBe(1);
    const growthMb = (peak - baseline) / 2 ** 20;
    console.log(`1,000,000-number do-not-call file: heap growth ${growthMb.toFixed(1)} MB, longest event-loop gap ${Math.round(longestGap)} ms`);
    // Holding the file (or a set of its numbers) would take well over 60 MB of heap.
    expect(growthMb).toBeLessThan(48);
    expect(longestGap).toBeLessThan(1_000);
  }, 180_000);
});
