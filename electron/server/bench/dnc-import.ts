import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportOptions } from '../../contracts';
import { systemClock } from '../../engine/clock';
import { importDncFile } from '../../engine/contacts/dnc-file-import';
import { openStore } from '../../engine/storage/database';
import type { Benchmark } from './index';

const NUMBERS = 1_000_000;

/** A registry-style file: 10-digit numbers of one area code, one a line. */
async function writeRegistryFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let block = 0; block < NUMBERS / 10_000; block++) {
    let text = '';
    for (let i = 0; i < 10_000; i++) text += `646${2_000_000 + block * 10_000 + i}\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

export const benchmark: Benchmark = {
  description: `streams a ${NUMBERS.toLocaleString('en')}-number do-not-call registry file into a fresh store (with history rows): time, heap growth, longest event-loop gap`,
  async run({ log }) {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-dnc-'));
    try {
      const file = join(dir, 'dnc-646.txt');
      await writeRegistryFile(file);
      const store = await openStore(join(dir, 'data'));
      try {
        log(`importing ${NUMBERS.toLocaleString('en')} numbers…`);
        const baseline = process.memoryUsage().heapUsed;
        let peak = baseline;
        let last = performance.now();
        let longestGapMs = 0;
        const beat = setInterval(() => {
          const now = performance.now();
          longestGapMs = Math.max(longestGapMs, now - last);
          last = now;
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }, 5);
        const started = performance.now();
        const report = await importDncFile(createReadStream(file, { highWaterMark: 256 * 1024 }), ImportOptions.parse({ target: 'dnc', listName: 'benchmark registry file' }), {
          sqlite: store.sqlite,
          clock: systemClock,
          fileName: 'dnc-646.txt',
        }).finally(() => clearInterval(beat));
        const seconds = (performance.now() - started) / 1000;
        const result = {
          numbers: report.rows,
          added: report.imported,
          seconds: Math.round(seconds * 100) / 100,
          numbersPerSecond: Math.round(report.rows / seconds),
          heapGrowthMb: Math.round(((peak - baseline) / 2 ** 20) * 10) / 10,
          longestEventLoopGapMs: Math.round(longestGapMs),
        };
        log(`${result.added.toLocaleString('en')} added in ${result.seconds} s; heap +${result.heapGrowthMb} MB; longest event-loop gap ${result.longestEventLoopGapMs} ms`);
        return result;
      } finally {
        await store.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
