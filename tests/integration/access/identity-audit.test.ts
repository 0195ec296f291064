import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Actor, type AuditEntry, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { signedInClient } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';
import { answeredCall, hasEspeak, is, openHarness, rejection, sleep, waitForEvent, type Harness } from '../supervision/harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] identity and audit tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

/** Supervisor accounts: Sam is assigned the campaign under test, Ria is not. */
describe.runIf(espeak)('identity from the session, event scope and the audit log', () => {
  let h: Harness;
  let server: RunningServer;
  let callId: string;
  let campaignId: string;
  let sam: Actor;
  let ria: Actor;
  const samPassword = 'sam-supervisor-password';
  const riaPassword = 'ria-supervisor-password';

  beforeAll(async () => {
    h = await openHarness();
    const rendererDir = join(h.engine.context.info.dataDir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
    server = await startServer({ engine: h.engine, logger: h.engine.context.logger, rendererDir, port: 0, version: 'test' });
    ({ callId, campaignId } = await answeredCall(h));
    const { access } = h.engine.context;
    const samUser = await access.addUser({ username: 'sam', displayName: 'Sam Ortiz', password: samPassword, role: 'supervisor', campaignIds: [campaignId] });
    const riaUser = await access.addUser({ username: 'ria', displayName: 'Ria Chen', password: riaPassword, role: 'supervisor', campaignIds: [] });
    sam = { userId: samUser.id, username: 'sam', displayName: 'Sam Ortiz', role: 'supervisor', campaignIds: [campaignId], origin: 'test' };
    ria = { userId: riaUser.id, username: 'ria', displayName: 'Ria Chen', role: 'supervisor', campaignIds: [], origin: 'test' };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  const audit = (): AuditEntry[] => h.engine.context.audit.list({ limit: 500 }).entries;

  it('live-call events reach only sockets whose user may see that campaign', async () => {
    const samClient = signedInClient(server.url, { username: 'sam', password: samPassword });
    const riaClient = signedInClient(server.url, { username: 'ria', password: riaPassword });
    const seen = { sam: [] as EngineEvent[], ria: [] as EngineEvent[] };
    samClient.onAny((e) => seen.sam.push(e));
    riaClient.onAny((e) => seen.ria.push(e));
    try {
      await samClient.call('session.me', {});
      await riaClient.call('session.me', {});
      await h.client.call('campaigns.create', { name: 'Everyone sees campaigns' });
      const forCall = (events: EngineEvent[]) => events.filter((e) => e.name.startsWith('call.') && (e.payload as { callId?: string }).callId === callId);
      await expect.poll(() => forCall(seen.sam).length, { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => seen.ria.some((e) => e.name === 'campaign.changed')).toBe(true);
      expect(forCall(seen.ria)).toEqual([]);
      // The board follows the same rule.
      expect((await samClient.call('supervision.board', {})).map((c) => c.callId)).toContain(callId);
      expect((await riaClient.call('supervision.board', {})).map((c) => c.callId)).not.toContain(callId);
      await expect(riaClient.call('supervision.listen', { callId })).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      samClient.close();
      riaClient.close();
    }
  }, 40_000);

  it('a forged supervisor id in a payload is refused; the session user is who takes over', async () => {
    const asSam = createClient(h.engine.transport(sam));
    const forged = await rejection(asSam.call('supervision.takeover', { callId, supervisor: { id: ria.userId, name: 'Ria Chen' } } as never));
    expect(forged.code).toBe('invalid_payload');
    expect((await h.client.call('supervision.call', { callId })).call.controller).toBeNull();

    const heartbeat = setInterval(() => void asSam.call('supervision.heartbeat', {}).catch(() => undefined), 300);
    try {
      await asSam.call('supervision.heartbeat', {});
      await asSam.call('supervision.takeover', { callId });
      const { controller } = (await h.client.call('supervision.call', { callId })).call;
      expect(controller).toMatchObject({ supervisorId: sam.userId, name: 'Sam Ortiz', mode: 'takeover' });
      await asSam.call('supervision.handBack', { callId });
      await asSam.call('supervision.barge', { callId });
      await sleep(200);
      await asSam.call('supervision.handBack', { callId });
      await asSam.call('supervision.endCall', { callId, reason: 'Audit test over' });
    } finally {
      clearInterval(heartbeat);
    }
    await waitForEvent(h, is('call.ended', (p) => p.callId === callId));
    const mine = audit().filter((e) => e.actor === 'sam');
    expect(mine.map((e) => e.action)).toEqual(expect.arrayContaining(['call.takeover', 'call.barge', 'call.end']));
    expect(mine.find((e) => e.action === 'call.end')).toMatchObject({ target: `call:${callId}`, detail: { reason: 'Audit test over' } });
    expect(audit().some((e) => e.actor === 'ria' && e.action.startsWith('call.'))).toBe(false);
  }, 60_000);

  it('records sign-in, do-not-call add and remove, exports, deletions, users, models and settings', async () => {
    const c: ParleyClient = h.client; // the local admin
    const client = signedInClient(server.url, { username: 'sam', password: samPassword });
    await client.call('session.me', {});
    client.close();
    await c.call('dnc.add', { phone: '+14155550199', reason: 'Asked on the phone' });
    await expect(c.call('dnc.remove', { phone: '+14155550199', reason: '', confirm: true })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(c.call('dnc.remove', { phone: '+14155550199', reason: 'Customer asked us to call again' } as never)).rejects.toMatchObject({ code: 'invalid_payload' });
    await c.call('dnc.remove', { phone: '+14155550199', reason: 'Customer asked us to call again', confirm: true });
    await c.call('contacts.exportPage', {});
    await c.call('analytics.exportCsv', { campaignId, kind: 'calls' });
    const doomed = await c.call('campaigns.create', { name: 'To delete' });
    await c.call('campaigns.delete', { id: doomed.id });
    const user = await c.call('users.add', { username: 'temp', password: 'temporary-password', role: 'viewer' });
    await c.call('users.update', { id: user.id, role: 'manager' });
    await c.call('users.setPassword', { id: user.id, password: 'another-password' });
    await c.call('users.remove', { id: user.id });
    await c.call('models.setSettings', {});
    const empty = tempDataDir('parley-empty-import-');
    try {
      await c.call('models.import', { folder: empty.dir }).catch(() => undefined);
    } finally {
      empty.cleanup();
    }

    const entries = audit();
    const has = (action: string, match: Partial<AuditEntry> = {}) => expect(entries.find((e) => e.action === action && Object.entries(match).every(([k, v]) => JSON.stringify(e[k as keyof AuditEntry]) === JSON.stringify(v))), action).toBeDefined();
    has('sign-in', { actor: 'sam' });
    has('dnc.add', { target: 'phone:+14155550199' });
    has('dnc.remove', { target: 'phone:+14155550199' });
    expect(entries.find((e) => e.action === 'dnc.remove')!.detail).toMatchObject({ reason: 'Customer asked us to call again' });
    has('export', { target: 'contacts' });
    has('export', { target: 'analytics:calls' });
    has('delete', { target: `campaign:${doomed.id}` });
    for (const action of ['user.add', 'user.update', 'user.password', 'user.remove']) has(action, { target: 'user:temp' });
    has('settings.change', { target: 'models' });
    expect(entries.every((e) => e.origin.length > 0 && !Number.isNaN(Date.parse(e.at)))).toBe(true);
  }, 30_000);

  it('is append-only: the database refuses to change or delete entries', () => {
    const { sqlite } = h.engine.context.store;
    expect(() => sqlite.prepare("update audit_log set actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('delete from audit_log').run()).toThrow(/append-only/);
    expect(audit().length).toBeGreaterThan(5);
  });

  it('exports the filtered log as CSV', async () => {
    const file = await h.client.call('audit.exportCsv', { action: 'dnc.remove' });
    expect(file.rows).toBe(1);
    expect(file.csv.split('\n')[0]).toBe('seq,at,actor,origin,action,target,detail');
    expect(file.csv).toContain('Customer asked us to call again');
    expect((await h.client.call('audit.list', { actor: 'sam', limit: 100 })).entries.every((e) => e.actor === 'sam')).toBe(true);
  });
});
