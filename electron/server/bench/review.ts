import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { CallsCursor } from '../../contracts';
import { createEngine } from '../../engine';
import type { Benchmark } from './index';
import { measureRecordingCost } from './recording-cost';
import { seedReviewCalls } from './review-seed';

const CALLS = 100_000;
/** The targets. */
export const REVIEW_TARGETS_MS = { search: 50, list: 30, open: 150 } as const;
/** Recording: per call, % of one core and MB per recorded minute. */
export const RECORDING_TARGETS = { cpuPct: 2, mbPerMinute: 0.5 } as const;

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! * 10) / 10;
}

/**
 * `parley bench review`: seeds 100,000 calls with transcripts into a fresh store in a temp folder,
 * then times, through the engine's commands as the console sends them: full-text search (words,
 * phrases, rare and common terms, newest first and by lead score, with highlighted snippets), pages
 * of the calls list (first, deep keyset pages, filters, sorts) and opening a call page. Recording
 * figures come from the recorder.
 */
export const benchmark: Benchmark = {
  description: `calls list, transcript search and call page over ${CALLS.toLocaleString('en')} calls`,
  async run({ log }) {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-review-'));
    const engine = await createEngine({ dataDir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
    try {
      log(`Seeding ${CALLS.toLocaleString('en')} calls with transcripts into ${dataDir} ...`);
      const seedStart = performance.now();
      const seeded = seedReviewCalls(engine.context.store.sqlite, { calls: CALLS, startMs: Date.UTC(2025, 0, 1) });
      engine.context.store.sqlite.pragma('optimize');
      const seedMs = performance.now() - seedStart;
      log(`Seeded ${seeded.turns.toLocaleString('en')} transcript turns in ${(seedMs / 1000).toFixed(1)} s.`);

      const time = async (command: string, payload: unknown): Promise<{ ms: number; result: unknown }> => {
        const started = performance.now();
        const outcome = await engine.invoke(command, payload);
        const ms = performance.now() - started;
        if (!outcome.ok) throw new Error(`${command}: ${outcome.error.message}`);
        return { ms, result: outcome.result };
      };

      const searches = ['kangaroo', 'Zanzibar', '"refund policy"', '"premium plan"', 'warehouse Rotterdam', '"take me off your list"', 'invoice ticket', 'harpsichord', '"price list"', 'quinoa mahogany'];
      const searchMs: number[] = [];
      // Newest first (the list's default) and by lead score.
      for (let round = 0; round < 3; round++) {
        for (const search of searches) {
          for (const sort of ['newest', 'score']) {
            const { ms } = await time('calls.list', { filter: { search }, sort, limit: 50 });
            if (round > 0) searchMs.push(ms);
          }
        }
      }
      log(`search p95 ${p95(searchMs)} ms over ${searchMs.length} queries`);

      const listMs: number[] = [];
      const shapes: Array<Record<string, unknown>> = [{}, { filter: { campaignId: 'bench-b' } }, { filter: { runs: 'real', direction: 'outbound' } }, { filter: { from: '2025-01-10', to: '2025-01-20' } }, { sort: 'oldest' }, { sort: 'score' }, { sort: 'longest' }];
      for (const shape of shapes) {
        let after: CallsCursor | undefined;
        for (let page = 0; page < 8; page++) {
          const { ms, result } = await time('calls.list', { ...shape, limit: 100, ...(after ? { after } : {}) });
          listMs.push(ms);
          after = (result as { next: CallsCursor | null }).next ?? undefined;
          if (!after) break;
        }
      }
      log(`list page p95 ${p95(listMs)} ms over ${listMs.length} pages`);

      const openMs: number[] = [];
      for (let i = 0; i < 60; i++) {
        const callId = seeded.callIds[Math.floor((i * 7_919) % seeded.callIds.length)]!;
        openMs.push((await time('calls.get', { callId })).ms);
      }
      log(`call page open p95 ${p95(openMs)} ms over ${openMs.length} calls`);

      log('recording cost: simulated calls recorded end to end');
      const recording = await measureRecordingCost();
      log(`recording: ${recording.recordingCpuPct} % of one core per call, ${recording.mbPerMinute} MB per minute`);

      const result = {
        benchmark: 'review',
        calls: seeded.calls,
        turns: seeded.turns,
        searchP95Ms: p95(searchMs),
        listP95Ms: p95(listMs),
        openP95Ms: p95(openMs),
        targetsMs: REVIEW_TARGETS_MS,
        withinTargets:
          p95(searchMs) < REVIEW_TARGETS_MS.search &&
          p95(listMs) < REVIEW_TARGETS_MS.list &&
          p95(openMs) < REVIEW_TARGETS_MS.open &&
          recording.recordingCpuPct < RECORDING_TARGETS.cpuPct &&
          recording.mbPerMinute <= RECORDING_TARGETS.mbPerMinute,
        recordingCpuPct: recording.recordingCpuPct,
        mbPerMinute: recording.mbPerMinute,
        seedMs: Math.round(seedMs),
        loadAverage: Math.round(loadavg()[0]! * 100) / 100,
      };
      return result;
    } finally {
      await engine.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
