import { execFileSync } from 'node:child_process';
import { closeSync, createReadStream, mkdirSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions, type OfficeAlert } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { systemClock } from '../../../electron/engine/clock';
import { importCsv } from '../../../electron/engine/contacts/csv-import';
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
      expect(engine.degraded()).toContain('storage'); // what /health shows
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
      expect(engine.degraded()).toEqual([]);
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

  it('an import on a full disk stops at a batch boundary with an exact report; importing the file again finishes it', async () => {
    if (!mounted) return;
    const dataDir = join(disk, 'import');
    const engine = await createEngine({ dataDir, logLevel: 'silent' });
    const csvPath = join(root.dir, 'contacts.csv');
    const ROWS = 20_000;
    writeFileSync(csvPath, ['name,phone,company', ...Array.from({ length: ROWS }, (_, i) => `Person ${i},+1 415 ${String(2_000_000 + i).slice(0, 3)} ${String(2_000_000 + i).slice(3)},Company ${i % 97}`)].join('\n'));
    const count = () => (engine.context.store.sqlite.prepare('select count(*) as n from contacts').get() as { n: number }).n;
    const run = () => importCsv(createReadStream(csvPath), ImportOptions.parse({ target: 'contacts', onMatch: 'skip' }), { sqlite: engine.context.store.sqlite, clock: systemClock, fileName: 'contacts.csv' });
    try {
      // Leave about 1.5 MB: room for a few thousand contacts, not twenty thousand.
      const filler = join(disk, 'filler-import.bin');
      fillDisk(filler);
      truncateSync(filler, Math.max(0, statSync(filler).size - 1_500 * 1024));
      const first = await run();
      expect(first.stoppedEarly?.reason).toMatch(/disk holding the database is full.*import the same file again/s);
      expect(first.imported).toBe(count()); // the report says exactly what is in
      expect(first.imported).toBeGreaterThan(0);
      expect(first.imported).toBeLessThan(ROWS);
      // Every row before the line it names is in, none after it.
      expect(first.imported).toBe(first.stoppedEarly!.line - 2);

      rmSync(filler);
      const second = await run();
      expect(second.stoppedEarly).toBeNull();
      expect(second.imported).toBe(ROWS - first.imported);
      expect(second.matched).toBe(first.imported);
      expect(count()).toBe(ROWS);
    } finally {
      await engine.dispose();
    }
  });

  it('a call in progress when the disk fills goes on talking and ends normally; the engine stays up', async () => {
    if (!mounted) return;
    const dataDir = join(disk, 'live');
    const engine = await createEngine({ dataDir, logLevel: 'silent', dialer: { mode: 'manual' }, storage: { minFreeBytes: 256 * 1024, checkEveryMs: 100 } });
    const filler = join(disk, 'filler-live.bin');
    try {
      const campaign = await engine.invoke('campaigns.create', { name: 'Live on a full disk', questions: ['Is now a good time?', 'Morning or afternoon?'] });
      if (!campaign.ok) throw new Error(campaign.error.message);
      const turns: Array<{ callId: string; at: number }> = [];
      let ended: string | undefined;
      engine.subscribe((event) => {
        if (event.name === 'call.turn') turns.push({ callId: event.payload.callId, at: Date.now() });
        if (event.name === 'call.ended') ended = event.payload.callId;
      });
      const call = await engine.invoke('voice.testCall', { campaignId: (campaign.result as { id: string }).id, persona: 'cooperative', contactName: 'Jo Smith' });
      if (!call.ok) throw new Error(call.error.message);
      const { callId } = call.result as { callId: string };
      await waitFor(() => turns.some((t) => t.callId === callId), 20_000, 'the first turn');
      fillDisk(filler);
      const filledAt = Date.now();
      // The conversation carries on: the agent and the caller keep taking turns on the full disk.
      await waitFor(() => turns.filter((t) => t.callId === callId && t.at > filledAt).length >= 2, 30_000, 'two more turns after the disk filled');
      await waitFor(() => !engine.context.storage.ok, 3_000, 'the storage watch to notice');
      const end = await engine.invoke('supervision.endCall', { callId });
      expect(end.ok).toBe(true);
      await waitFor(() => ended === callId, 10_000, 'the call to end');
    } finally {
      rmSync(filler, { force: true });
      await engine.dispose();
    }
  });
});
