import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engine';
import { tempDataDir } from '../../support/temp-dir';
import { importText, testEngine, TestLauncher, type TestEngine } from './harness';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const rows = Array.from({ length: 10 }, (_, i) => `Person ${i},212-555-01${String(i).padStart(2, '0')}`);

describe('dialer across a restart', () => {
  it('closes attempts left open as unknown, counts them, and never dials those contacts twice', async () => {
    const data = tempDataDir('parley-restart-');
    cleanups.push(data.cleanup);
    const clock = new ManualClock(Date.parse('2026-01-06T18:00:00Z'));

    const firstLauncher = new TestLauncher();
    const first: TestEngine = await testEngine({ dir: data.dir, clock, launcher: firstLauncher });
    await importText(first.engine, ['name,phone', ...rows].join('\n'));
    const campaign = await first.client.call('campaigns.create', { name: 'Survives', maxConcurrentCalls: 3, maxAttempts: 1 });
    await first.client.call('campaigns.launch', { id: campaign.id });
    await first.engine.context.dialing.dialer.tick();
    const inFlight = [...firstLauncher.open.values()].map((c) => c.request.contactId);
    expect(inFlight).toHaveLength(3);
    // The engine goes away with three calls still up (their outcomes never reach the store).
    await first.engine.context.dialing.dialer.dispose({ drainMs: 0 });
    await first.engine.dispose();

    const secondLauncher = new TestLauncher(() => 'completed');
    const second = await testEngine({ dir: data.dir, clock, launcher: secondLauncher });
    cleanups.push(() => second.dispose());
    const afterRestart = await second.client.call('campaigns.counters', { id: campaign.id });
    expect(afterRestart).toMatchObject({ dialing: 0, inCall: 0, queued: 7, finished: expect.objectContaining({ unknown: 3 }), attempts: expect.objectContaining({ unknown: 3 }) });
    expect((await second.client.call('campaigns.get', { id: campaign.id })).status).toBe('running');

    for (let i = 0; i < 5; i++) {
      await second.engine.context.dialing.dialer.tick();
      await second.engine.context.dialing.dialer.settled();
    }
    const redialed = secondLauncher.requests.filter((r) => inFlight.includes(r.contactId));
    expect(redialed).toEqual([]);
    expect(secondLauncher.requests).toHaveLength(7);
    const final = await second.client.call('campaigns.counters', { id: campaign.id });
    expect(final).toMatchObject({ queued: 0, finished: expect.objectContaining({ completed: 7, unknown: 3 }) });
    expect((await second.client.call('campaigns.get', { id: campaign.id })).status).toBe('completed');
  });

  it('retries an unknown attempt after the failed-call delay when attempts remain', async () => {
    const data = tempDataDir('parley-restart-');
    cleanups.push(data.cleanup);
    const clock = new ManualClock(Date.parse('2026-01-06T18:00:00Z'));
    const first = await testEngine({ dir: data.dir, clock, launcher: new TestLauncher() });
    await importText(first.engine, 'name,phone\nOnly One,212-555-0101\n');
    const campaign = await first.client.call('campaigns.create', {
      name: 'Retry',
      maxAttempts: 2,
      retryDelayMinutes: { noAnswer: 60, busy: 10, voicemail: null, failed: 30 },
    });
    await first.client.call('campaigns.launch', { id: campaign.id });
    await first.engine.context.dialing.dialer.tick();
    await first.engine.context.dialing.dialer.dispose({ drainMs: 0 });
    await first.engine.dispose();

    const launcher = new TestLauncher(() => 'completed');
    const second = await testEngine({ dir: data.dir, clock, launcher });
    cleanups.push(() => second.dispose());
    expect((await second.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);
    clock.advance(29 * 60_000);
    expect((await second.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);
    clock.advance(60_000);
    expect((await second.engine.context.dialing.dialer.tick()).placed).toHaveLength(1);
    expect(launcher.requests[0]!.attempt).toBe(2);
  });
});

describe('campaign settings in the store', () => {
  it('fills every default for a campaign created with only a name, and a patch changes only what it names', async () => {
    const t = await testEngine();
    cleanups.push(() => t.dispose());
    const created = await t.client.call('campaigns.create', { name: 'Defaults' });
    expect(created).toMatchObject({ maxConcurrentCalls: 2, maxAttempts: 3, priority: 5, segmentId: null, testLimit: null, variants: [], status: 'draft', startAt: null });
    expect(created.callingWindow).toEqual({ start: '08:00', end: '21:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], holidays: [] });
    const patched = await t.client.call('campaigns.update', { id: created.id, patch: { priority: 8, retryDelayMinutes: { noAnswer: 30, busy: 5, voicemail: null, failed: 10 } } });
    expect(patched).toMatchObject({ priority: 8, maxConcurrentCalls: 2, retryDelayMinutes: { voicemail: null } });
    const renamed = await t.client.call('campaigns.update', { id: created.id, patch: { name: 'Renamed' } });
    expect(renamed).toMatchObject({ name: 'Renamed', priority: 8, retryDelayMinutes: { noAnswer: 30 } });
    const invalid = await t.engine.invoke('campaigns.update', { id: created.id, patch: { callingWindow: { start: '22:00', end: '07:00', days: ['mon'], holidays: [] } } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: 'patch.callingWindow.end', message: 'The calling window must end after it starts' }] } });
  });
});

describe('one dialer per data folder', () => {
  it('keeps a second engine on standby while the first dials, and lets it take over when the first stops', async () => {
    const data = tempDataDir('parley-lease-');
    cleanups.push(data.cleanup);
    const clock = new ManualClock(Date.parse('2026-01-06T18:00:00Z'));
    const firstLauncher = new TestLauncher();
    const first = await testEngine({ dir: data.dir, clock, launcher: firstLauncher });
    await importText(first.engine, ['name,phone', ...rows].join('\n'));
    const campaign = await first.client.call('campaigns.create', { name: 'Shared folder', maxConcurrentCalls: 2, maxAttempts: 1 });
    await first.client.call('campaigns.launch', { id: campaign.id });
    await first.engine.context.dialing.dialer.tick();
    expect(firstLauncher.requests).toHaveLength(2);

    const secondLauncher = new TestLauncher(() => 'completed');
    const second = await testEngine({ dir: data.dir, clock, launcher: secondLauncher });
    cleanups.push(() => second.dispose());
    // The second must not take the first's live calls for crash leftovers, nor dial anyone.
    expect((await second.engine.context.dialing.dialer.tick()).placed).toEqual([]);
    expect(await second.client.call('dialer.status', {})).toMatchObject({ standby: expect.stringContaining(`process ${process.pid}`) });
    expect(await second.client.call('campaigns.counters', { id: campaign.id })).toMatchObject({ dialing: 2, finished: expect.objectContaining({ unknown: 0 }) });

    firstLauncher.endAll('completed');
    await first.engine.context.dialing.dialer.settled();
    await first.dispose();
    const tick = await second.engine.context.dialing.dialer.tick();
    expect(tick.placed.length).toBeGreaterThan(0);
    expect(await second.client.call('dialer.status', {})).toMatchObject({ standby: null });
    const dialed = [...firstLauncher.requests, ...secondLauncher.requests].map((r) => r.contactId);
    expect(new Set(dialed).size).toBe(dialed.length);
  });

  it('takes over at once from a holder whose process is gone', async () => {
    const data = tempDataDir('parley-lease-');
    cleanups.push(data.cleanup);
    const { openStore } = await import('../../../electron/engine/storage/database');
    const store = await openStore(data.dir);
    const { hostname } = await import('node:os');
    // A lease left by a process that no longer exists (pids this high are not in use here).
    store.sqlite
      .prepare("insert into settings (key, value, updated_at) values ('dialer.lease', ?, ?)")
      .run(JSON.stringify({ token: 'gone', pid: 4_194_000, host: hostname(), at: Date.now() }), Date.now());
    await store.dispose();
    const t = await testEngine({ dir: data.dir, launcher: new TestLauncher() });
    cleanups.push(() => t.dispose());
    await t.engine.context.dialing.dialer.tick();
    expect(await t.client.call('dialer.status', {})).toMatchObject({ standby: null });
  });
});
