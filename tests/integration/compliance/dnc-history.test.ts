import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Actor, type ParleyClient, type Role } from '../../../electron/contracts';
import { testEngine, type TestEngine } from '../dialer/harness';

let t: TestEngine;
const clients = {} as Record<Role, ParleyClient>;

beforeAll(async () => {
  t = await testEngine();
  for (const role of ['viewer', 'supervisor', 'manager'] as const) {
    const user = await t.engine.context.access.addUser({ username: `dnc-${role}`, displayName: `Pat ${role}`, password: `dnc-${role}-password`, role, campaignIds: [] });
    const actor: Actor = { userId: user.id, username: `dnc-${role}`, displayName: `Pat ${role}`, role, campaignIds: [], origin: 'test' };
    clients[role] = createClient(t.engine.transport(actor));
  }
}, 60_000);
afterAll(() => t.dispose());

describe('the do-not-call list keeps a history', () => {
  it('records who added a number, when, why and from where', async () => {
    t.clock.set(Date.parse('2026-03-02T10:00:00Z'));
    await clients.manager.call('dnc.add', { phone: '(415) 555-0199', reason: 'Asked by email' });
    const history = await clients.viewer.call('dnc.history', { phone: '415-555-0199' });
    expect(history).toEqual({
      phone: '+14155550199',
      onList: true,
      entries: [{ phone: '+14155550199', action: 'add', actor: 'Pat manager', reason: 'Asked by email', source: 'console', callId: null, at: '2026-03-02T10:00:00.000Z' }],
    });
  });

  it('lets neither a viewer nor a supervisor remove a number', async () => {
    for (const role of ['viewer', 'supervisor'] as const) {
      await expect(clients[role].call('dnc.remove', { phone: '+14155550199', reason: 'Wants calls again', confirm: true })).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect((await clients.viewer.call('dnc.history', { phone: '+14155550199' })).onList).toBe(true);
  });

  it('makes a manager give a reason and a confirmation', async () => {
    await expect(clients.manager.call('dnc.remove', { phone: '+14155550199', reason: '   ', confirm: true })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(clients.manager.call('dnc.remove', { phone: '+14155550199', reason: 'Wants calls again' } as never)).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(clients.manager.call('dnc.remove', { phone: '+14155550199', reason: 'Wants calls again', confirm: false } as never)).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(t.engine.context.dialing.dnc.remove({ phone: '+14155550199', reason: '', by: 'someone' })).rejects.toMatchObject({ code: 'invalid_payload' });
    expect((await clients.viewer.call('dnc.history', { phone: '+14155550199' })).entries).toHaveLength(1);
  });

  it('records a removal with its reason, and a later add as a new entry', async () => {
    t.clock.set(Date.parse('2026-03-05T09:30:00Z'));
    expect(await clients.manager.call('dnc.remove', { phone: '+14155550199', reason: 'Customer called to ask for renewals again', confirm: true })).toEqual({ phone: '+14155550199', removed: true });
    t.clock.set(Date.parse('2026-03-09T16:00:00Z'));
    await t.engine.context.dialing.dnc.add({ phone: '+14155550199', reason: 'stop calling me', source: 'call', callId: 'call-42' });
    const history = await clients.viewer.call('dnc.history', { phone: '+14155550199' });
    expect(history.onList).toBe(true);
    expect(history.entries.map((e) => [e.action, e.actor, e.reason, e.source, e.at])).toEqual([
      ['add', 'Pat manager', 'Asked by email', 'console', '2026-03-02T10:00:00.000Z'],
      ['remove', 'Pat manager', 'Customer called to ask for renewals again', 'console', '2026-03-05T09:30:00.000Z'],
      ['add', 'caller on call call-42', 'stop calling me', 'call', '2026-03-09T16:00:00.000Z'],
    ]);
  });

  it('writes no entry when nothing changed (adding a number already listed)', async () => {
    await clients.manager.call('dnc.add', { phone: '+14155550199', reason: 'again' });
    expect((await clients.viewer.call('dnc.history', { phone: '+14155550199' })).entries).toHaveLength(3);
  });

  it('answers an unknown number with an empty history and a bad one with one clear error', async () => {
    expect(await clients.viewer.call('dnc.history', { phone: '212 555 0100' })).toEqual({ phone: '+12125550100', onList: false, entries: [] });
    await expect(clients.viewer.call('dnc.history', { phone: 'not a number' })).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});
