import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type OfficeAlert } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { DeliveryWorkerOptions } from '../../../electron/engine/delivery/delivery-worker';
import { SyncReceiver, type ReceiverFaults } from '../../../electron/server/bench/sync-receiver';
import { verifyStandardWebhook } from '../../support/standard-webhooks';
import { tempDataDir } from '../../support/temp-dir';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FAST: DeliveryWorkerOptions = { firstBackoffMs: 20, maxBackoffMs: 100, pollMs: 20, timeoutMs: 500, offlineRetryMs: 50 };

async function open(options: { worker?: DeliveryWorkerOptions } = {}) {
  const data = tempDataDir('parley-webhooks-');
  const engine = await createEngine({ dataDir: data.dir, host: 'test', logLevel: 'warn', dialer: { mode: 'manual' }, delivery: { run: true, worker: { ...FAST, ...options.worker } } });
  cleanups.push(data.cleanup, () => engine.dispose());
  const client = createClient(engine.transport());
  const events: EngineEvent[] = [];
  client.onAny((e) => events.push(e));
  return { engine, client, events };
}

/** A receiver that checks every signature with the independent verifier, once the secret is known. */
async function receiver(faults: ReceiverFaults = {}) {
  let secret = '';
  const r = new SyncReceiver(faults, (headers, body) => verifyStandardWebhook(secret, headers, body));
  const url = await r.start();
  cleanups.push(() => r.stop());
  return { r, url, setSecret: (s: string) => (secret = s) };
}

async function until(what: () => boolean, ms = 10_000, label = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Queues `count` do-not-call events (each a contact.do_not_call webhook) through the real command. */
async function addNumbers(client: ReturnType<typeof createClient>, count: number, from = 0) {
  for (let i = from; i < from + count; i++) await client.call('dnc.add', { phone: `+1415555${String(1000 + i).padStart(4, '0')}`, reason: 'asked' });
}

function endCallEvent(engine: Engine, callId: string) {
  engine.context.events.emit('call.ended', { callId, campaignId: null, outcome: 'completed', detail: 'done', durationMs: 42_000 });
}

describe('webhooks', () => {
  it('delivers signed events an independent Standard Webhooks verifier accepts; the secret is shown once and kept out of the database', async () => {
    const { engine, client } = await open();
    const { r, url, setSecret } = await receiver();
    const { webhook, secret } = await client.call('webhooks.create', { url, events: ['contact.do_not_call', 'campaign.status_changed'], description: 'CRM bridge' });
    setSecret(secret);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await client.call('webhooks.list', {}))[0]).toMatchObject({ id: webhook.id, url, enabled: true });
    expect(JSON.stringify(await client.call('webhooks.list', {}))).not.toContain(secret.slice(6));

    await addNumbers(client, 1);
    const campaign = await client.call('campaigns.create', { name: 'Spring' });
    await client.call('campaigns.launch', { id: campaign.id }).catch(() => undefined); // refused without a real line: no transition
    await until(() => r.accepted.size === 1, 5_000, 'the do-not-call event');
    const [delivered] = [...r.accepted.values()];
    expect(delivered!.body).toMatchObject({ type: 'contact.do_not_call', data: { phone: '+14155551000' } });
    expect(r.refused).toBe(0);
    // The same request with a tampered body or another secret is refused by the verifier.
    const headers = delivered!.headers;
    expect(verifyStandardWebhook(secret, headers, JSON.stringify({ type: 'contact.do_not_call', data: { phone: '+19999999999' } }))).toBe('no valid v1 signature');
    expect(verifyStandardWebhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, headers, JSON.stringify(delivered!.body))).toBe('no valid v1 signature');

    // "Test" sends one signed event straight away.
    const test = await client.call('webhooks.test', { id: webhook.id });
    expect(test).toMatchObject({ ok: true, status: 200 });
    expect([...r.accepted.values()].some((d) => (d.body as { type: string }).type === 'webhook.test')).toBe(true);

    // A rotated secret signs from then on; the old one no longer verifies.
    const rotated = await client.call('webhooks.rotateSecret', { id: webhook.id });
    expect(rotated.secret).not.toBe(secret);
    setSecret(rotated.secret);
    await addNumbers(client, 1, 1);
    await until(() => r.accepted.size === 3, 5_000, 'an event signed with the new secret');
    expect(r.refused).toBe(0);

    const db = engine.context.store.sqlite.serialize().toString('latin1');
    expect(db.includes(secret.slice(6))).toBe(false);
    expect(db.includes(rotated.secret.slice(6))).toBe(false);
    const audit = await client.call('audit.list', { limit: 50 });
    expect(JSON.stringify(audit)).toContain(`webhook:${webhook.id}`);
    expect(JSON.stringify(audit)).not.toContain(rotated.secret.slice(6));
  });

  it('never queues anything for a dry-run call; a real call’s events are queued for subscribers only', async () => {
    const { engine, client } = await open();
    const { r, url, setSecret } = await receiver();
    const { secret } = await client.call('webhooks.create', { url, events: ['call.completed'] });
    setSecret(secret);
    const sqlite = engine.context.store.sqlite;
    const insertCall = sqlite.prepare("insert into calls (id, campaign_id, contact_id, direction, state, created_at, dry_run) values (?, null, null, 'outbound', 'ended', ?, ?)");
    insertCall.run('rehearsal-call', Date.now(), 1);
    insertCall.run('real-call', Date.now(), 0);
    endCallEvent(engine, 'rehearsal-call');
    endCallEvent(engine, 'real-call');
    engine.context.events.emit('call.answered', { callId: 'real-call', by: 'human' }); // nobody subscribed to call.answered
    await until(() => r.accepted.size === 1, 5_000, 'the real call');
    await engine.context.delivery.idle();
    const rows = sqlite.prepare('select kind, payload from outbox').all() as Array<{ kind: string; payload: string }>;
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ type: 'call.completed', data: { callId: 'real-call', durationMs: 42_000 } });
  });

  it('under 500s, 429s with Retry-After and stalls, every event arrives exactly once and in order per number', async () => {
    const { engine, client } = await open();
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const { r, url, setSecret } = await receiver({ failShare: 0.2, random, throttleEvery: 37, retryAfterSeconds: 1, stallEvery: 53 });
    const { secret } = await client.call('webhooks.create', { url, events: ['contact.do_not_call'] });
    setSecret(secret);
    // Twenty numbers, each added, removed and added again: three events per number, in that order.
    for (let i = 0; i < 20; i++) {
      const phone = `+1415555${String(2000 + i)}`;
      await client.call('dnc.add', { phone, reason: 'asked' });
      await client.call('dnc.remove', { phone, reason: 'mistake', confirm: true });
      await client.call('dnc.add', { phone, reason: 'asked again' });
    }
    const total = 40; // removals are not subscribed events
    await until(() => r.accepted.size === total, 30_000, 'every event');
    await engine.context.delivery.idle();
    expect(r.duplicates).toBe(0);
    expect(r.refused).toBe(0);
    expect(r.log.some((l) => l.status === 500)).toBe(true);
    // In the second after a 429 only the deliveries already on their way (at most 3 more of the
    // target's 4 at once) arrive: nothing new is sent until Retry-After has passed.
    const throttled = r.log.find((l) => l.status === 429)!;
    expect(throttled).toBeDefined();
    expect(r.log.filter((l) => l.at > throttled.at && l.at < throttled.at + 950).length).toBeLessThanOrEqual(3);
    // Per number, its two events arrived in the order they were queued.
    const queued = engine.context.store.sqlite.prepare("select idempotency_key as key, order_key from outbox order by rowid").all() as Array<{ key: string; order_key: string }>;
    for (const key of new Set(queued.map((q) => q.order_key))) {
      const mine = queued.filter((q) => q.order_key === key).map((q) => q.key);
      expect(r.arrivals.filter((id) => mine.includes(id))).toEqual(mine);
    }
    const status = await client.call('sync.status', {});
    expect(status.targets.find((t) => t.name.startsWith('webhook:'))).toMatchObject({ sent: total, pending: 0, failing: 0, dead: 0 });
  });

  it('pauses while the receiver is unreachable without spending attempts, alerts once, and drains when it is back', async () => {
    const { engine, client, events } = await open();
    const { r, url, setSecret } = await receiver();
    const port = r.port;
    await r.stop();
    const { secret } = await client.call('webhooks.create', { url, events: ['contact.do_not_call'] });
    setSecret(secret);
    await addNumbers(client, 5);
    await until(() => events.some((e) => e.name === 'office.alert' && (e.payload as OfficeAlert).kind === 'sync-failing'), 5_000, 'the failing alert');
    await new Promise((resolve) => setTimeout(resolve, 400)); // several offline retries
    const rows = engine.context.store.sqlite.prepare('select attempts, dead_at from outbox').all() as Array<{ attempts: number; dead_at: number | null }>;
    expect(rows.every((row) => row.attempts === 0 && row.dead_at === null)).toBe(true);
    const status = await client.call('sync.status', {});
    expect(status.targets.find((t) => t.name.startsWith('webhook:'))).toMatchObject({ state: 'offline', pending: 5, lastError: expect.stringContaining('ECONNREFUSED') });

    await r.start(port);
    await until(() => r.accepted.size === 5, 10_000, 'the queue to drain');
    await until(() => events.some((e) => e.name === 'office.alert' && (e.payload as OfficeAlert).kind === 'sync-restored'), 5_000, 'the restored alert');
    const alerts = events.filter((e) => e.name === 'office.alert').map((e) => (e.payload as OfficeAlert).kind);
    expect(alerts.filter((k) => k === 'sync-failing')).toHaveLength(1);
    expect(alerts.filter((k) => k === 'sync-restored')).toHaveLength(1);
  });

  it('dead-letters what the receiver refuses; retry and replay send it again with the same webhook-id', async () => {
    const { client } = await open({ worker: { maxAttempts: 3 } });
    let refuse = true;
    let secret = '';
    const r = new SyncReceiver({}, (headers, body) => (refuse ? 'not today' : verifyStandardWebhook(secret, headers, body)));
    const url = await r.start();
    cleanups.push(() => r.stop());
    ({ secret } = await client.call('webhooks.create', { url, events: ['contact.do_not_call'] }));
    await addNumbers(client, 2);
    await until(() => r.refused >= 2, 5_000, 'the refusals');
    let listed = await client.call('sync.list', { state: 'dead' });
    for (let i = 0; i < 100 && listed.rows.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      listed = await client.call('sync.list', { state: 'dead' });
    }
    expect(listed.rows).toHaveLength(2);
    expect(listed.rows[0]).toMatchObject({ state: 'dead', attempts: 1, lastError: expect.stringContaining('HTTP 400: not today') });
    const detail = await client.call('sync.get', { id: listed.rows[0]!.id });
    expect(detail.attempts[0]).toMatchObject({ ok: false, status: 400 });

    refuse = false;
    expect(await client.call('sync.retry', { ids: [listed.rows[0]!.id] })).toEqual({ count: 1 });
    await until(() => r.accepted.size === 1, 5_000, 'the retried row');
    expect(await client.call('sync.retry', {})).toEqual({ count: 1 });
    await until(() => r.accepted.size === 2, 5_000, 'the other row');
    const firstId = [...r.accepted.keys()][0]!;
    expect(firstId).toBe(listed.rows[0]!.idempotencyKey);

    expect(await client.call('sync.replay', { ids: [listed.rows[0]!.id] })).toEqual({ count: 1 });
    await until(() => r.duplicates === 1, 5_000, 'the replayed row');
  });
});
