import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent } from '../../../electron/contracts';
import { createEngine, ManualClock } from '../../../electron/engine';
import { lineSecretKey } from '../../../electron/engine/secrets/secret-store';
import { importText, TestLauncher } from '../dialer/harness';
import { testCarriers } from '../../support/lines';
import { tempDataDir } from '../../support/temp-dir';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';

/** The engine's manual clock: the contacts' zone is chosen for this instant, not for the real time. */
const START = Date.parse('2026-01-06T18:00:00Z');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const PASSWORD = 'correct-horse-battery';
const ALL_DAY = LEGAL_ALL_WEEK;

async function open(options: { launcher?: TestLauncher; failing?: boolean } = {}) {
  const data = tempDataDir('parley-lines-');
  const carriers = testCarriers();
  const factories = options.failing
    ? {
        ...carriers.factories,
        audiosocket: () => {
          throw new Error('port 9092 is already in use');
        },
      }
    : carriers.factories;
  // The file logger at debug level: the test reads the log for the password afterwards.
  const engine = await createEngine({ dataDir: data.dir, clock: new ManualClock(START), host: 'test', logLevel: 'debug', callLauncher: options.launcher, dialer: { mode: 'manual' }, carriers: factories });
  cleanups.push(data.cleanup, () => engine.dispose());
  const client = createClient(engine.transport());
  const events: EngineEvent[] = [];
  client.onAny((e) => events.push(e));
  return { engine, client, events, carriers, dir: data.dir };
}

describe('lines', () => {
  it('keeps the password only in the secret store, rebuilds the carrier on edit and disposes it on removal', async () => {
    const { engine, client, events, carriers, dir } = await open();
    const secrets = engine.context.lines.secrets;
    const line = await client.call('lines.create', { kind: 'sip', name: 'Trunk', settings: { server: '127.0.0.1', username: '201' }, password: PASSWORD });
    expect(line).toMatchObject({ hasSecret: true, dryRun: false, maxCalls: 4, settings: { transport: 'udp', register: true } });
    expect(line).not.toHaveProperty('password');
    expect(await secrets.get(lineSecretKey(line.id))).toBe(PASSWORD);
    expect(events.some((e) => e.name === 'line.changed' && e.payload.id === line.id)).toBe(true);

    // An edit without a password keeps it and rebuilds the carrier; an empty one deletes it.
    const kept = await client.call('lines.update', { id: line.id, line: { kind: 'sip', name: 'Trunk A', maxCalls: 2, settings: { server: '127.0.0.1', username: '201' } } });
    expect(kept).toMatchObject({ name: 'Trunk A', hasSecret: true, maxCalls: 2 });
    expect(carriers.built).toHaveLength(2);
    expect(carriers.built[0]!.disposed).toBe(true);
    await expect(client.call('lines.update', { id: line.id, line: { kind: 'simulated', name: 'x' } })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('keeps its kind') });
    const cleared = await client.call('lines.update', { id: line.id, line: { kind: 'sip', name: 'Trunk A', settings: { server: '127.0.0.1', username: '201' }, password: '' } });
    expect(cleared.hasSecret).toBe(false);
    expect(await secrets.get(lineSecretKey(line.id))).toBeUndefined();

    await client.call('lines.update', { id: line.id, line: { kind: 'sip', name: 'Trunk A', settings: { server: '127.0.0.1', username: '201' }, password: PASSWORD } });
    await client.call('lines.remove', { id: line.id });
    expect(carriers.built.at(-1)!.disposed).toBe(true);
    expect(await secrets.get(lineSecretKey(line.id))).toBeUndefined();
    expect(await client.call('lines.list', {})).toEqual([]);
    expect(events.some((e) => e.name === 'line.changed' && e.payload.id === line.id && e.payload.line === null)).toBe(true);
    await expect(client.call('lines.get', { id: line.id })).rejects.toMatchObject({ code: 'not_found' });
    // Every change is in the audit log, saying whether a password was set but never what it is.
    const audit = engine.context.audit.list({ limit: 50 }).entries.filter((e) => e.action === 'line.change' && e.target === `line:${line.id}`);
    expect(audit.map((e) => (e.detail as { change: string }).change).sort()).toEqual(['create', 'remove', 'update', 'update', 'update']);
    expect(audit.find((e) => (e.detail as { change: string }).change === 'create')?.detail).toMatchObject({ kind: 'sip', name: 'Trunk', password: true });
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);

    await engine.dispose();
    const log = readFileSync(join(dir, 'logs', 'parley.log'), 'utf8');
    expect(log).toContain('line added');
    expect(log).not.toContain(PASSWORD);
    const db = readFileSync(join(dir, 'parley.db'));
    expect(db.includes(PASSWORD)).toBe(false);
  });

  it('in an engine that does not dial (a one-shot command), builds a network carrier only to test it', async () => {
    const data = tempDataDir('parley-lines-tool-');
    const carriers = testCarriers();
    const engine = await createEngine({ dataDir: data.dir, host: 'test', logLevel: 'silent', dialer: { mode: 'off' }, carriers: carriers.factories });
    cleanups.push(data.cleanup, () => engine.dispose());
    const client = createClient(engine.transport());
    const line = await client.call('lines.create', { kind: 'sip', name: 'Trunk', settings: { server: '127.0.0.1', username: '201' } });
    expect(carriers.built).toHaveLength(0);
    expect(line.state).toMatchObject({ status: 'offline', detail: expect.stringContaining('Connected by the Parley that runs on this data folder') });
    expect((await client.call('lines.test', { id: line.id })).ok).toBe(true);
    expect(carriers.built).toHaveLength(1);
  });

  it('shows why a carrier cannot be built, and refuses to test or dial through it', async () => {
    const { client } = await open({ failing: true });
    const line = await client.call('lines.create', { kind: 'audiosocket', name: 'Asterisk', settings: {} });
    expect(line.state).toMatchObject({ status: 'offline', detail: 'port 9092 is already in use' });
    expect(await client.call('lines.test', { id: line.id })).toEqual({ ok: false, verdict: 'port 9092 is already in use', latencyMs: null });
    const campaign = await client.call('campaigns.create', { name: 'Via Asterisk', lineId: line.id });
    await expect(client.call('campaigns.launch', { id: campaign.id })).rejects.toMatchObject({ code: 'unavailable', message: 'Line "Asterisk" cannot place calls: port 9092 is already in use' });
  });

  it('validates the inbound route and refuses to remove a line a live campaign uses', async () => {
    const { engine, client } = await open({ launcher: new TestLauncher() });
    const outbound = await client.call('campaigns.create', { name: 'Outbound' });
    await expect(client.call('lines.create', { kind: 'simulated', name: 'Sim', inboundCampaignId: outbound.id })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('outbound campaign') });
    await expect(client.call('lines.create', { kind: 'sip', name: '', settings: { server: '', username: '' } })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(client.call('campaigns.create', { name: 'Nowhere', lineId: 'no-such-line' })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('line does not exist') });
    const line = await client.call('lines.create', { kind: 'simulated', name: 'Sim' });
    await importText(engine, `name,phone,timezone\nDana,+13125550101,${daytimeZone(START)}\n`);
    const campaign = await client.call('campaigns.update', { id: outbound.id, patch: { lineId: line.id, callingWindow: ALL_DAY } });
    await client.call('campaigns.launch', { id: campaign.id });
    await expect(client.call('lines.remove', { id: line.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('"Outbound" is running on this line') });
  });

  it('dials each campaign through its own line within that line’s limit; the office cap is the sum of the limits', async () => {
    const launcher = new TestLauncher();
    const { engine, client } = await open({ launcher });
    const one = await client.call('lines.create', { kind: 'sip', name: 'One', maxCalls: 1, settings: { server: '127.0.0.1', username: '1' } });
    const two = await client.call('lines.create', { kind: 'sip', name: 'Two', maxCalls: 2, settings: { server: '127.0.0.1', username: '2' } });
    await importText(engine, ['name,phone,timezone', ...Array.from({ length: 8 }, (_, i) => `P${i},+1312555010${i},${daytimeZone(START)}`)].join('\n'));
    const a = await client.call('campaigns.create', { name: 'A', lineId: one.id, callingWindow: ALL_DAY, maxConcurrentCalls: 5 });
    const b = await client.call('campaigns.create', { name: 'B', lineId: two.id, callingWindow: ALL_DAY, maxConcurrentCalls: 5 });
    await client.call('campaigns.launch', { id: a.id });
    await client.call('campaigns.launch', { id: b.id });
    const report = await engine.context.dialing.dialer.tick();
    const perLine = (id: string) => launcher.requests.filter((r) => r.line?.id === id).length;
    expect(report.placed).toHaveLength(3);
    expect([perLine(one.id), perLine(two.id)]).toEqual([1, 2]);
    expect(launcher.requests.every((r) => r.line?.dryRun === false)).toBe(true);
    expect(await client.call('dialer.status', {})).toMatchObject({ lines: 3, activeCalls: 3 });
    expect((await client.call('lines.get', { id: two.id })).activeCalls).toBe(2);
    expect((await engine.context.dialing.dialer.tick()).placed).toHaveLength(0); // every line is full
    launcher.endAll('completed');
    await engine.context.dialing.dialer.settled();
    expect((await client.call('lines.get', { id: two.id })).activeCalls).toBe(0);
  });
});
