import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engine';
import { importText, testEngine, TestLauncher, type TestEngine } from '../dialer/harness';

const engines: TestEngine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.dispose();
});

const DAY = 24 * 60 * 60_000;
// Tuesday 10:00 in New York: inside the default calling window.
const NOW = Date.parse('2026-01-06T15:00:00Z');

/** Past answered calls of a campaign, as the voice pipeline records them. */
function pastCalls(t: TestEngine, campaignId: string, calls: { count: number; abandoned: boolean; daysAgo: number; dryRun?: boolean; machine?: boolean }): void {
  const insert = t.engine.context.store.sqlite.prepare(
    `insert into calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at, dry_run, first_audio_ms, abandoned)
     values (?, ?, null, 'outbound', 'ended', 'completed', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const at = NOW - calls.daysAgo * DAY;
  for (let i = 0; i < calls.count; i++) {
    const id = `past-${campaignId}-${calls.daysAgo}-${calls.abandoned}-${calls.dryRun ?? false}-${calls.machine ?? false}-${i}-${Math.random()}`;
    const abandoned = calls.machine ? null : calls.abandoned ? 1 : 0;
    insert.run(id, campaignId, at, at, at + 60_000, at, calls.dryRun ? 1 : 0, calls.abandoned ? 2_600 : 700, abandoned);
  }
}

async function runningCampaign(t: TestEngine) {
  const rows = ['name,phone', ...Array.from({ length: 40 }, (_, i) => `Caller ${i},212-555-${String(1000 + i)}`)];
  await importText(t.engine, rows.join('\n'));
  const campaign = await t.client.call('campaigns.create', { name: 'Renewals', maxConcurrentCalls: 10, defaultTimezone: 'America/New_York' });
  await t.client.call('campaigns.launch', { id: campaign.id });
  return campaign.id;
}

describe('the abandoned-call cap in the dialer (manual clock)', () => {
  it('places fewer calls at once near the cap, counting only live answered real calls of the last 30 days', async () => {
    const launcher = new TestLauncher();
    const t = await testEngine({ launcher, clock: new ManualClock(NOW) });
    engines.push(t);
    const campaignId = await runningCampaign(t);
    pastCalls(t, campaignId, { count: 973, abandoned: false, daysAgo: 3 });
    pastCalls(t, campaignId, { count: 27, abandoned: true, daysAgo: 29 });
    // None of these count: too old, a dry run, a machine.
    pastCalls(t, campaignId, { count: 100, abandoned: true, daysAgo: 31 });
    pastCalls(t, campaignId, { count: 100, abandoned: true, daysAgo: 1, dryRun: true });
    pastCalls(t, campaignId, { count: 100, abandoned: false, daysAgo: 1, machine: true });

    expect(await t.client.call('compliance.abandonment', { campaignId })).toEqual([{ campaignId, answered: 1000, abandoned: 27, percent: 2.7, state: 'slowed', windowDays: 30 }]);
    const report = await t.engine.context.dialing.dialer.tick();
    // 2.7% is 60% of the way from the cap: 6 of the 10 calls at once.
    expect(report.placed).toHaveLength(6);
    expect((await t.client.call('campaigns.get', { id: campaignId })).status).toBe('running');
    launcher.endAll('completed');
    await t.engine.context.dialing.dialer.settled();
  });

  it('stops placing calls at 3%: the campaign is paused with the reason, and a window rolling past old abandonments lifts it', async () => {
    const launcher = new TestLauncher();
    const t = await testEngine({ launcher, clock: new ManualClock(NOW) });
    engines.push(t);
    const campaignId = await runningCampaign(t);
    pastCalls(t, campaignId, { count: 97, abandoned: false, daysAgo: 2 });
    pastCalls(t, campaignId, { count: 3, abandoned: true, daysAgo: 20 });

    const report = await t.engine.context.dialing.dialer.tick();
    expect(report.placed).toHaveLength(0);
    expect(launcher.requests).toHaveLength(0);
    expect((await t.client.call('campaigns.get', { id: campaignId })).status).toBe('paused');
    const transitions = await t.client.call('campaigns.transitions', { id: campaignId });
    expect(transitions.at(-1)).toMatchObject({ from: 'running', to: 'paused', reason: 'Abandoned calls reached 3.00% (3 of 100 answered in 30 days); the limit is 3%' });

    // Resumed while still at the cap: the next tick pauses it again before any call.
    await t.client.call('campaigns.resume', { id: campaignId });
    expect((await t.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);
    expect((await t.client.call('campaigns.get', { id: campaignId })).status).toBe('paused');

    // Eleven days later the abandoned calls are out of the 30-day window.
    t.clock.set(NOW + 11 * DAY);
    expect((await t.client.call('compliance.abandonment', { campaignId }))[0]).toMatchObject({ answered: 97, abandoned: 0, state: 'ok' });
    await t.client.call('campaigns.resume', { id: campaignId });
    expect((await t.engine.context.dialing.dialer.tick()).placed.length).toBeGreaterThan(0);
    launcher.endAll('completed');
    await t.engine.context.dialing.dialer.settled();
  });
});
