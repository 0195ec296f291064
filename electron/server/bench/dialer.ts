import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Campaign } from '../../contracts';
import { createEngine, ManualClock, type Engine } from '../../engine';
import { nanpAreaCodes } from '../../engine/domain/nanp-zones';
import type { CallLauncher } from '../../engine/ports/call-launcher';
import type { Benchmark } from './index';

const CONTACTS = 100_000;
const TICKS = 60;
/** The bars. */
export const IMPORT_BUDGET_SECONDS = 5;
export const IMPORT_BUDGET_RSS_MB = 300;
export const TICK_BUDGET_MS = 20;

const FIRST = ['Dana', 'Lee', 'Amara', 'Jonas', 'Priya', 'Mateo', 'Chloé', 'Sam', 'Noor', 'Kenji', 'Olga', 'Tom'];
const LAST = ['Smith', 'Wong', 'Okafor', 'Berg', 'Patel', 'García', 'Martin', 'Reyes', 'Haddad', 'Sato', 'Ivanova', "O'Brien"];
const FORMATS = [
  (a: string, e: number, n: string) => `(${a}) ${e}-${n}`,
  (a: string, e: number, n: string) => `${a}-${e}-${n}`,
  (a: string, e: number, n: string) => `+1 ${a} ${e} ${n}`,
  (a: string, e: number, n: string) => `${a}${e}${n}`,
  (a: string, e: number, n: string) => `1-${a}-${e}-${n}`,
];

/** A realistic list: mixed number formats, names with accents and quotes, a few custom columns, some duplicates and bad rows. */
async function writeContactsCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const areaCodes = nanpAreaCodes();
  // mulberry32: a small seeded generator, so every run writes the same file.
  let seed = 42;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('First Name,Last Name,Phone,Email,Company,Plan,Renewal Date,Notes,Tags\n');
  for (let i = 0; i < rows; i++) {
    const first = FIRST[next() % FIRST.length]!;
    const last = LAST[next() % LAST.length]!;
    const area = areaCodes[next() % areaCodes.length]!;
    const exchange = 200 + (next() % 800);
    const line = String(next() % 10_000).padStart(4, '0');
    const phone = i % 997 === 0 ? 'n/a' : FORMATS[i % FORMATS.length]!(area, exchange, line);
    const notes = i % 50 === 0 ? '"Prefers mornings, ""call after 9""\nSecond line"' : '';
    await write(
      `${first},"${last}",${phone},${first.toLowerCase()}.${i}@example.com,Company ${i % 500},${['Gold', 'Silver', 'Bronze'][i % 3]},2026-0${1 + (i % 9)}-15,${notes},${i % 7 === 0 ? 'vip' : ''}\n`,
    );
  }
  out.end();
  await once(out, 'close');
}

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  rows: number;
  imported: number;
  rejected: number;
  duplicates: number;
}

/** Runs out/server/import-child.js (built beside the CLI) and reads its one-line JSON result. */
async function runImportChild(csvPath: string, dataDir: string): Promise<ChildResult> {
  const script = [new URL('../import-child.js', import.meta.url), new URL('./import-child.js', import.meta.url)]
    .map((url) => fileURLToPath(url))
    .find((path) => existsSync(path));
  if (!script) throw new Error('import-child.js is not built beside the CLI; run: npm run build');
  const child = spawn(process.execPath, [script, csvPath, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`The import process failed (${code}): ${err.trim()}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

/** Completes every call at once: the benchmark measures choosing calls, not placing them. */
const instantLauncher: CallLauncher = { launch: async () => ({ outcome: 'completed' }) };

/**
 * `parley bench dialer`: imports a generated 100,000-row CSV into a fresh store (time and peak
 * resident memory of this process during the import), times the launch summary over all of them,
 * launches a campaign over all of them, and times dialer ticks choosing 10 calls among ~100,000 due
 * contacts (each passing the legal-hours and consent check).
 */
export const benchmark: Benchmark = {
  description: `contact import (${CONTACTS.toLocaleString('en')} rows) and dialer tick time`,
  async run({ log }) {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-dialer-'));
    const dataDir = join(dir, 'data');
    // Tuesday 2026-01-06 17:00 UTC: midday across the US, inside the default 08:00-21:00 window.
    const clock = new ManualClock(Date.UTC(2026, 0, 6, 17, 0, 0));
    let engine: Engine | undefined;
    try {
      const csvPath = join(dir, 'contacts.csv');
      log(`Writing ${CONTACTS.toLocaleString('en')} contacts to ${csvPath} ...`);
      await writeContactsCsv(csvPath, CONTACTS);

      // The import runs in its own lean process (store + importer, nothing else), so its peak resident
      // memory is the import's own and not that of every module the full CLI loads.
      log('Importing in a separate process ...');
      const report = await runImportChild(csvPath, dataDir);
      const importSeconds = report.seconds;
      log(`Imported ${report.imported} (rejected ${report.rejected}, duplicates ${report.duplicates}) in ${importSeconds.toFixed(2)} s, peak ${report.peakRssMb.toFixed(0)} MB.`);

      engine = await createEngine({ dataDir, host: 'test', clock, logger: pino({ level: 'silent' }), callLauncher: instantLauncher, dialer: { mode: 'manual', lines: 50 } });

      // A benchmark is a rehearsal: a simulated line, so no contact's own record is written.
      const line = await engine.invoke('lines.create', { kind: 'simulated', name: 'Benchmark line', maxCalls: 50 });
      if (!line.ok) throw new Error(line.error.message);
      const created = await engine.invoke('campaigns.create', { name: 'Benchmark campaign', lineId: (line.result as { id: string }).id, maxConcurrentCalls: 10, maxAttempts: 3 });
      if (!created.ok) throw new Error(created.error.message);
      const campaignId = (created.result as Campaign).id;
      // What the console shows before launch: who is called now and who is skipped, over the whole list.
      const summaryStart = performance.now();
      const summary = await engine.invoke('campaigns.launchSummary', { id: campaignId });
      if (!summary.ok) throw new Error(summary.error.message);
      const launchSummaryMs = Math.round((performance.now() - summaryStart) * 100) / 100;
      log(`Launch summary over ${report.imported} contacts in ${launchSummaryMs} ms.`);
      const enrollStart = performance.now();
      const launched = await engine.invoke('campaigns.launch', { id: campaignId });
      if (!launched.ok) throw new Error(launched.error.message);
      const enrollSeconds = (performance.now() - enrollStart) / 1000;
      engine.context.store.sqlite.pragma('optimize');

      const { dialer } = engine.context.dialing;
      const timings: number[] = [];
      let placed = 0;
      for (let i = 0; i < TICKS; i++) {
        const tickStart = performance.now();
        const tick = await dialer.tick();
        timings.push(performance.now() - tickStart);
        placed += tick.placed.length;
        await dialer.settled();
        clock.advance(1_000);
      }
      const warm = timings.slice(1).sort((a, b) => a - b);
      const pick = (q: number) => Math.round(warm[Math.min(warm.length - 1, Math.floor(warm.length * q))]! * 100) / 100;
      log(`${TICKS} ticks placed ${placed} calls; median ${pick(0.5)} ms, p95 ${pick(0.95)} ms, first ${timings[0]!.toFixed(2)} ms.`);
      const counterTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        dialer.counters(campaignId);
        counterTimes.push(performance.now() - started);
      }
      const countersMs = Math.round(counterTimes.sort((a, b) => a - b)[2]! * 100) / 100;
      const importPeakRssMb = Math.round(report.peakRssMb);
      const tickMs = pick(0.5);
      return {
        benchmark: 'dialer',
        contacts: report.imported,
        rows: report.rows,
        rejected: report.rejected,
        duplicates: report.duplicates,
        import100kSeconds: Math.round(importSeconds * 100) / 100,
        // CPU time of both threads; above the wall time when the phone worker ran in parallel.
        importCpuSeconds: Math.round(report.cpuSeconds * 100) / 100,
        importPeakRssMb,
        enrollSeconds: Math.round(enrollSeconds * 100) / 100,
        launchSummaryMs,
        tickMs,
        tickP95Ms: pick(0.95),
        tickMaxMs: Math.round(Math.max(...timings.slice(1)) * 100) / 100,
        firstTickMs: Math.round(timings[0]! * 100) / 100,
        callsPlaced: placed,
        // Live counters of the 100k campaign (consoles get them at most once a second).
        countersMs,
        // Wall-clock figures on a shared machine depend on what else runs; the load average says how busy it was.
        loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
        cpus: cpus().length,
        withinBudget: importSeconds <= IMPORT_BUDGET_SECONDS && importPeakRssMb < IMPORT_BUDGET_RSS_MB && pick(0.95) <= TICK_BUDGET_MS,
      };
    } finally {
      await engine?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
