import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeAlert } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { tempDataDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

/** A small real disk, filled for real (needs root to mount; CI runs as root). */
const root = tempDataDir('parley-disk-full-');
const disk = join(root.dir, 'disk');
let mounted = false;
beforeAll(() => {
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error('CI must be able to mount a tmpfs (runs as root)', { cause: error });
    console.warn(`[not run] full-disk engine test: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`);
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', disk]);
  root.cleanup();
});

/** Writes a file until the disk refuses more. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(256 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe('the disk holding the database fills up', () => {
  it('writes are refused in plain words, dialing stops with one alert, reads go on, and everything resumes when space returns', async () => {
    if (!mounted) return;
    const dataDir = join(disk, 'data');
    const engine: Engine = await createEngine({ dataDir, dialer: { mode: 'manual' }, storage: { minFreeBytes: 256 * 1024, checkEveryMs: 100 } });
    const alerts: OfficeAlert[] = [];
    engine.subscribe((event) => {
      if (event.name === 'office.alert') alerts.push(event.payload);
    });
    try {
      const before = await engine.invoke('campaigns.create', { name: 'Before the disk filled' });
      expect(before.ok).toBe(true);

      const filler = join(disk, 'filler.bin');
      fillDisk(filler);
      const refused = await engine.invoke('campaigns.create', { name: 'While the disk is full', agentPrompt: 'p'.repeat(19_000) });
      expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/disk holding the database is full/) } });
      await engine.context.storage.check();
      expect(engine.context.storage.ok).toBe(false);
      expect(alerts.filter((a) => a.kind === 'storage-failing')).toHaveLength(1);

      // Reads still answer, and the dialer places nothing while the disk is full.
      const list = await engine.invoke('campaigns.list', {});
      expect(list.ok && (list.result as Array<{ name: string }>).map((c) => c.name)).toContain('Before the disk filled');
      const tick = await engine.context.dialing.dialer.tick();
      expect(tick.placed).toEqual([]);
      expect(tick.storage).toMatch(/full|free/);
      expect((await engine.invoke('dialer.status', {})) as unknown).toMatchObject({ ok: true, result: { standby: expect.stringMatching(/full|free/) } });

      rmSync(filler);
      await waitFor(() => engine.context.storage.ok, 3_000, 'the storage watch to see the space back');
      expect(alerts.at(-1)).toMatchObject({ kind: 'storage-restored' });
      const after = await engine.invoke('campaigns.create', { name: 'After space returned' });
      expect(after.ok).toBe(true);
      expect((await engine.context.dialing.dialer.tick()).storage).toBeUndefined();
    } finally {
      const started = performance.now();
      await engine.dispose();
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });
});
