import { createReadStream } from 'node:fs';
import { ImportOptions, type ImportReport } from '../../contracts';
import { systemClock } from '../../engine/clock';
import { importCsv } from '../../engine/contacts/csv-import';
import { openStore } from '../../engine/storage/database';

/**
 * `node out/server/import-child.js FILE DATA_DIR`: imports one CSV into a store and prints one JSON
 * line with its time, CPU time and this process's peak resident memory. `parley bench dialer` runs it
 * as a separate process so the memory figure is the import's own, not that of every module the
 * full CLI loads.
 */
async function main(file: string, dataDir: string): Promise<void> {
  const store = await openStore(dataDir);
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report: ImportReport = await importCsv(createReadStream(file, { highWaterMark: 256 * 1024 }), ImportOptions.parse({}), {
      sqlite: store.sqlite,
      clock: systemClock,
      fileName: file,
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(
      JSON.stringify({
        seconds,
        cpuSeconds: (used.user + used.system) / 1e6,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        rows: report.rows,
        imported: report.imported,
        rejected: report.rejected,
        duplicates: report.duplicates,
      }),
    );
  } finally {
    await store.dispose();
  }
}

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) {
  console.error('usage: import-child.js FILE DATA_DIR');
  process.exitCode = 2;
} else {
  main(file, dataDir).catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
  });
}
