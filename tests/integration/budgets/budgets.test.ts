import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Actor, type EngineEvent, type OfficeAlert, type ParleyClient } from '../../../electron/contracts';
import { importText, testEngine, type TestEngine } from '../dialer/harness';
import { LEGAL_ALL_WEEK, daytimeZone } from '../../support/legal-hours';

/** 10:00 on a Monday, UTC: every spend in this test falls on the same day and month. */
const NOW = Date.parse('2026-03-02T10:00:00Z');
let t: TestEngine;
let manager: ParleyClient;
const events: EngineEvent[] = [];

beforeAll(async () => {
  t = await testEngine();
  t.clock.set(NOW);
  const user = await t.engine.context.access.addUser({ username: 'budget-manager', displayName: 'Mo', password: 'budget-manager-password', role: 'manager', campaignIds: [] });
  const actor: Actor = { userId: user.id, username: 'budget-manager', displayName: 'Mo', role: 'manager', campaignIds: [], origin: 'test' };
  manager = createClient(t.engine.transport(actor));
  t.client.onAny((e) => events.push(e));
  await importText(t.engine, ['name,phone,timezone', ...Array.from({ length: 4 }, (_, i) => `P${i},+1312555020${i},${daytimeZone(NOW)}`)].join('\n'));
}, 60_000);
afterAll(() => t.dispose());

/** What a finished call's metering writes: one priced row (the costs of a real call on a line). */
function spend(campaignId: string, usd: number, dryRun = false) {
  const sqlite = t.engine.context.store.sqlite;
  const callId = `call-${Math.random().toString(36).slice(2)}`;
  sqlite.prepare("insert into calls (id, campaign_id, contact_id, direction, state, created_at, dry_run) values (?, ?, null, 'outbound', 'ended', ?, ?)").run(callId, campaignId, NOW, dryRun ? 1 : 0);
  sqlite.prepare("insert into call_costs (call_id, campaign_id, item, amount_usd, created_at) values (?, ?, 'llm:test:output-tokens', ?, ?)").run(callId, campaignId, usd, NOW);
}

const alerts = (kind: OfficeAlert['kind']) => events.filter((e) => e.name === 'office.alert' && (e.payload as OfficeAlert).kind === kind).map((e) => e.payload as OfficeAlert);

describe('budgets', () => {
  it('warns at 80%, pauses the campaign at 100% with the reason, refuses to resume until an admin raises the limit', async () => {
    const campaign = await t.client.call('campaigns.create', { name: 'Spring', callingWindow: LEGAL_ALL_WEEK });
    await t.client.call('campaigns.launch', { id: campaign.id });
    await expect(manager.call('budgets.set', { scope: campaign.id, dailyUsd: 1, monthlyUsd: null })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await t.client.call('budgets.set', { scope: campaign.id, dailyUsd: 1, monthlyUsd: 20 })).toMatchObject({ dailyUsd: 1, monthlyUsd: 20, spentTodayUsd: 0, state: 'ok' });

    spend(campaign.id, 0.85);
    spend(campaign.id, 5, true); // a dry run's costs never count
    await t.engine.context.budgets.check();
    expect(await manager.call('budgets.get', { scope: campaign.id })).toMatchObject({ spentTodayUsd: 0.85, state: 'warning' });
    expect(alerts('budget-warning')).toHaveLength(1);
    expect(alerts('budget-warning')[0]).toMatchObject({ campaignId: campaign.id, message: expect.stringContaining('85% of its daily limit of $1.00') });
    expect((await t.client.call('campaigns.get', { id: campaign.id })).status).toBe('running');
    await t.engine.context.budgets.check();
    expect(alerts('budget-warning')).toHaveLength(1); // once per day

    spend(campaign.id, 0.2);
    await t.engine.context.budgets.check();
    expect((await t.client.call('campaigns.get', { id: campaign.id })).status).toBe('paused');
    expect(alerts('budget-reached')).toHaveLength(1);
    const transitions = events.filter((e) => e.name === 'campaign.transition').map((e) => (e.payload as { transition: { to: string; reason: string } }).transition);
    expect(transitions.at(-1)).toMatchObject({ to: 'paused', reason: expect.stringContaining('Budget reached: this campaign has spent $1.05 of its daily limit of $1.00') });
    await expect(t.client.call('campaigns.resume', { id: campaign.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('An admin can raise the limit') });

    await t.client.call('budgets.set', { scope: campaign.id, dailyUsd: 2, monthlyUsd: 20 });
    expect((await t.client.call('campaigns.resume', { id: campaign.id })).status).toBe('running');
    const audit = await t.client.call('audit.list', { limit: 20 });
    expect(audit.entries.filter((e) => e.action === 'budget.change').map((e) => e.detail)).toEqual(expect.arrayContaining([{ dailyUsd: 2, monthlyUsd: 20 }]));
  });

  it('the office limit pauses every running campaign and blocks launches', async () => {
    const [a, b] = await Promise.all([t.client.call('campaigns.create', { name: 'A', callingWindow: LEGAL_ALL_WEEK }), t.client.call('campaigns.create', { name: 'B', callingWindow: LEGAL_ALL_WEEK })]);
    await t.client.call('campaigns.launch', { id: a.id });
    // The office has spent $1.05 today (Spring's calls; the dry run's $5 does not count).
    await t.client.call('budgets.set', { scope: 'office', dailyUsd: 1, monthlyUsd: null });
    expect(await t.client.call('budgets.get', { scope: 'office' })).toMatchObject({ spentTodayUsd: 1.05, state: 'reached' });
    await t.engine.context.budgets.check();
    const running = (await t.client.call('campaigns.list', {})).filter((c) => c.status === 'running');
    expect(running).toEqual([]);
    expect((await t.client.call('campaigns.get', { id: a.id })).status).toBe('paused');
    await expect(t.client.call('campaigns.launch', { id: b.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('the office has spent $1.05 of its daily limit of $1.00') });
    expect(alerts('budget-reached').some((alert) => alert.id === 'budget:office')).toBe(true);
    // The list shows the office first, then each campaign with its spend.
    const list = await manager.call('budgets.list', {});
    expect(list[0]).toMatchObject({ scope: 'office', dailyUsd: 1, state: 'reached' });
    expect(list.find((x) => x.name === 'Spring')).toMatchObject({ spentTodayUsd: 1.05, dailyUsd: 2 });
  });
});
