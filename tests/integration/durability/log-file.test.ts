import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/engine/event-bus';
import type { LogFileProblem } from '../../../electron/engine/log-file';
import { createFileLogger } from '../../../electron/engine/logging';
import { tempDataDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';


describe('log files', () => {
  it('rotate by size and keep only the configured number of old files', async () => {
    const data = tempDataDir('parley-logs-');
    try {
      const log = createFileLogger({ dataDir: data.dir, file: { maxBytes: 4_096, keep: 2 } });
      for (let i = 0; i < 400; i++) {
        log.logger.info({ i, filler: 'x'.repeat(40) }, 'a line');
        if (i % 40 === 39) await new Promise((resolve) => setTimeout(resolve, 5)); // let writes land between bursts
      }
      const dir = join(data.dir, 'logs');
      await waitFor(() => readdirSync(dir).includes('parley.2.log'), 5_000, 'two rotations');
      log.close();
      const files = readdirSync(dir).sort();
      expect(files).toEqual(['parley.1.log', 'parley.2.log', 'parley.log']);
      // Every kept file is whole JSON lines, and the newest lines are kept without a gap.
      const kept = ['parley.2.log', 'parley.1.log', 'parley.log'].flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean));
      const numbers = kept.map((line) => (JSON.parse(line) as { i: number }).i);
      expect(numbers.at(-1)).toBe(399);
      expect(numbers).toEqual(numbers.map((_, k) => numbers[0]! + k));
    } finally {
      data.cleanup();
    }
  });

  it('a listener that throws is reported with the event name, and the other listeners still hear the event', () => {
    const reported: Array<{ event: string; message: string }> = [];
    const bus = new EventBus((error, event) => reported.push({ event, message: (error as Error).message }));
    let heard = 0;
    bus.subscribe(() => {
      throw new Error('broken subscriber');
    });
    bus.subscribe(() => heard++);
    bus.emit('campaign.deleted', { id: 'c1' });
    expect(heard).toBe(1);
    expect(reported).toEqual([{ event: 'campaign.deleted', message: 'broken subscriber' }]);
  });
});

/** A tiny real filesystem, filled for real: needs root to mount (CI runs as root). */
const mountPoint = join(tempDataDir('parley-full-disk-').dir, 'disk');
let mounted = false;
let whyNot = '';
beforeAll(() => {
  mkdirSync(mountPoint, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    whyNot = (error as Error).message.split('\n')[0]!;
    if (process.env.CI === 'true') throw new Error(`CI must be able to mount a small tmpfs (runs as root): ${whyNot}`, { cause: error });
    console.warn(`[not run] full-disk log test: cannot mount a tmpfs here (${whyNot})`);
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  rmSync(join(mountPoint, '..'), { recursive: true, force: true });
});

describe('a full disk under the log', () => {
  it('never throws or blocks: the failure is reported once, lines are capped, and logging resumes when space returns', async () => {
    if (!mounted) return;
    const problems: Array<LogFileProblem | null> = [];
    const log = createFileLogger({ dataDir: mountPoint, file: { maxQueuedBytes: 64 * 1024, retryAfterMs: 50 }, onProblem: (p) => problems.push(p && { ...p }) });
    // Fill the disk with something else first, as a runaway download would.
    const filler = join(mountPoint, 'filler.bin');
    try {
      writeFileSync(filler, Buffer.alloc(512 * 1024));
    } catch {
      // ENOSPC: the disk is now full, which is the point
    }
    const loopStalls: number[] = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      loopStalls.push(now - last);
      last = now;
    }, 5);
    for (let i = 0; i < 5_000; i++) log.logger.info({ i, filler: 'y'.repeat(100) }, 'while the disk is full');
    await waitFor(() => log.problem() !== null, 5_000, 'the log to notice the full disk');
    expect(log.problem()!.code).toBe('ENOSPC');
    expect(log.problem()!.dropped).toBeGreaterThan(0); // the queue is capped, memory does not grow
    expect(problems.filter(Boolean)).toHaveLength(1); // reported once, not once per line

    // Space comes back: the queued lines reach the disk and the news that it works again is given once.
    rmSync(filler, { force: true });
    await waitFor(() => problems.at(-1) === null, 5_000, 'log writes to work again');
    log.logger.info('space is back');
    await waitFor(() => readFileSync(join(mountPoint, 'logs', 'parley.log'), 'utf8').includes('space is back'), 5_000, 'the line written after recovery');
    clearInterval(ticker);
    // Closing on a disk that failed returns at once (no flush retried forever).
    const started = performance.now();
    log.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(Math.max(...loopStalls)).toBeLessThan(1_000);
    expect(existsSync(join(mountPoint, 'logs', 'parley.log'))).toBe(true);
  });
});
