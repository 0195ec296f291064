import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, EngineEvent } from '../../../electron/contracts';
import { addAccount } from '../../support/accounts';
import { ManualClock } from '../../../electron/engine';
import { importText, testEngine, TestLauncher, type TestEngine } from '../dialer/harness';

const engines: TestEngine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.dispose();
});

// Monday 7 December 2026, 10:00 in New York.
const NOW = Date.parse('2026-12-07T15:00:00Z');

async function setup() {
  const t = await testEngine({ launcher: new TestLauncher(), clock: new ManualClock(NOW) });
  engines.push(t);
  const events: EngineEvent[] = [];
  t.client.onAny((e) => events.push(e));
  await importText(t.engine, ['name,phone,timezone', 'Robin Diaz,+12125550123,America/New_York', 'Kai Berg,+12125550124,Europe/Berlin'].join('\n'));
  const campaign = await t.client.call('campaigns.create', { name: 'Renewals', companyName: 'Acme' });
  const contacts = t.engine.context.store.sqlite.prepare('select id, name from contacts order by name').all() as Array<{ id: string; name: string }>;
  const robin = contacts.find((c) => c.name === 'Robin Diaz')!.id;
  const kai = contacts.find((c) => c.name === 'Kai Berg')!.id;
  const me = (await t.client.call('session.me', {})) as { userId?: string; id?: string };
  return { t, events, campaign, robin, kai, me: me.userId ?? me.id! };
}

describe('the callbacks queue through its commands', () => {
  it('books a desk agent callback, lists it as theirs, reminds them when due, and follows call now, reschedule and the result', async () => {
    const { t, events, campaign, robin, me } = await setup();
    const callbacks = t.engine.context.dialing.callbacks;
    const { callback } = callbacks.bookFromCall({ callId: 'call-1', source: 'supervisor', requestedBy: 'Dana', at: NOW + 3_600_000, note: 'wants the gold plan', assigneeUserId: me, call: { campaignId: campaign.id, contactId: robin, dryRun: false } });
    expect(callback).toMatchObject({ contactName: 'Robin Diaz', source: 'supervisor', requestedBy: 'Dana', assignee: { userId: me }, state: 'scheduled', dueAt: new Date(NOW + 3_600_000).toISOString() });

    expect(await t.client.call('callbacks.list', { scope: 'mine' })).toHaveLength(1);
    expect(await t.client.call('callbacks.list', { scope: 'ai' })).toHaveLength(0);
    expect(await t.client.call('callbacks.list', { scope: 'all', contactId: robin })).toHaveLength(1);
    // A supervisor of other campaigns neither sees it nor changes it.
    const other = await addAccount(t.engine, 'supervisor', 'sam');
    const sam: Actor = { userId: other.id, username: 'sam', displayName: 'Sam', role: 'supervisor', campaignIds: [], origin: 'test' };
    expect(await t.engine.invokeAs(sam, 'callbacks.list', { scope: 'all' })).toEqual({ ok: true, result: [] });
    expect(await t.engine.invokeAs(sam, 'callbacks.cancel', { id: callback!.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Not due yet: no reminder. Due: one reminder, once.
    callbacks.remind();
    expect(events.filter((e) => e.name === 'callback.due')).toHaveLength(0);
    t.clock.set(NOW + 3_600_000);
    callbacks.remind();
    callbacks.remind();
    const due = events.filter((e) => e.name === 'callback.due');
    expect(due).toHaveLength(1);
    expect(due[0]!.payload).toMatchObject({ userId: me, callback: { id: callback!.id } });

    const later = new Date(NOW + 2 * 86_400_000).toISOString();
    expect(await t.client.call('callbacks.reschedule', { id: callback!.id, at: later })).toMatchObject({ dueAt: later, state: 'scheduled' });
    await expect(t.client.call('callbacks.reschedule', { id: callback!.id, at: new Date(NOW - 60_000).toISOString() })).rejects.toMatchObject({ code: 'invalid_payload' });
    expect(await t.client.call('callbacks.callNow', { id: callback!.id })).toMatchObject({ state: 'dialing', assignee: { userId: me } });
    expect(await t.client.call('callbacks.markResult', { id: callback!.id, result: 'done', note: 'booked the service' })).toMatchObject({ state: 'done', note: 'booked the service' });
    await expect(t.client.call('callbacks.cancel', { id: callback!.id })).rejects.toMatchObject({ code: 'conflict', message: 'That callback is already done' });
    expect(await t.client.call('callbacks.list', { scope: 'all' })).toHaveLength(0);
    expect(await t.client.call('callbacks.list', { scope: 'all', include: 'all' })).toHaveLength(1);
  });

  it('reads spoken words in the contact zone, defaults to the next calling day, and places AI callbacks inside the window', async () => {
    const { t, campaign, kai, robin } = await setup();
    const callbacks = t.engine.context.dialing.callbacks;
    const call = (contactId: string) => ({ campaignId: campaign.id, contactId, dryRun: false });
    // Berlin: 16:00 there now; "tomorrow at ten" is 09:00 UTC on Tuesday.
    expect(callbacks.bookFromCall({ callId: 'a', source: 'caller', requestedBy: 'Caller, through the agent', words: 'tomorrow at ten', assigneeUserId: null, call: call(kai) }).callback?.dueAt).toBe('2026-12-08T09:00:00.000Z');
    // No time given: the next calling day's opening (default window 08:00, New York).
    expect(callbacks.bookFromCall({ callId: 'b', source: 'caller', requestedBy: 'Caller, through the agent', assigneeUserId: null, call: call(robin) }).callback?.dueAt).toBe('2026-12-08T13:00:00.000Z');
    // "At 11pm" is outside the AI's window (ends 21:00): the next opening.
    expect(callbacks.bookFromCall({ callId: 'c', source: 'caller', requestedBy: 'Caller, through the agent', words: 'at 11pm', assigneeUserId: null, call: call(robin) }).callback?.dueAt).toBe('2026-12-08T13:00:00.000Z');
  });

  it('books nothing for a dry run, and cancels open callbacks when the number goes on do-not-call', async () => {
    const { t, campaign, robin } = await setup();
    const callbacks = t.engine.context.dialing.callbacks;
    const dry = callbacks.bookFromCall({ callId: 'dry', source: 'supervisor', requestedBy: 'Dana', at: NOW + 60_000, assigneeUserId: null, call: { campaignId: campaign.id, contactId: robin, dryRun: true } });
    expect(dry).toEqual({ callback: null, detail: 'Dry run: recorded on the call; no callback is booked' });
    expect(await t.client.call('callbacks.list', { scope: 'all', include: 'all' })).toHaveLength(0);

    const { callback } = callbacks.bookFromCall({ callId: 'real', source: 'caller', requestedBy: 'Caller, through the agent', words: 'tomorrow', assigneeUserId: null, call: { campaignId: campaign.id, contactId: robin, dryRun: false } });
    await t.client.call('dnc.add', { phone: '+12125550123', reason: 'asked on another call' });
    const [after] = await t.client.call('callbacks.list', { scope: 'all', include: 'all' });
    expect(after).toMatchObject({ id: callback!.id, state: 'cancelled', note: expect.stringContaining('do-not-call') });
  });

  it("books the analysis's call-back next action only where the campaign allows it, once per call", async () => {
    const { t, campaign, robin } = await setup();
    const sqlite = t.engine.context.store.sqlite;
    const analysed = (callId: string) => {
      sqlite.prepare("insert into calls (id, campaign_id, contact_id, direction, state, created_at) values (?, ?, ?, 'outbound', 'ended', ?)").run(callId, campaign.id, robin, NOW);
      const payload = { callId, campaignId: campaign.id, contactId: robin, nextAction: { kind: 'call_back', detail: 'Call back tomorrow at 4pm' } };
      t.engine.context.events.emit('call.analyzed', payload as never);
    };
    analysed('off-1');
    expect(await t.client.call('callbacks.list', { scope: 'all' })).toHaveLength(0);
    await t.client.call('campaigns.update', { id: campaign.id, patch: { analysisBooksCallbacks: true } });
    analysed('on-1');
    const [booked] = await t.client.call('callbacks.list', { scope: 'all' });
    expect(booked).toMatchObject({ originCallId: 'on-1', source: 'analysis', requestedBy: 'Call analysis', dueAt: '2026-12-08T21:00:00.000Z', assignee: null });
    t.engine.context.events.emit('call.analyzed', { callId: 'on-1', campaignId: campaign.id, contactId: robin, nextAction: { kind: 'call_back', detail: 'again' } } as never);
    expect(await t.client.call('callbacks.list', { scope: 'all' })).toHaveLength(1);
  });
});
