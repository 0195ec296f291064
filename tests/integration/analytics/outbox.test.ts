import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../../electron/engine/analysis/outbox';
import { openHarness, type AnalyticsHarness } from './harness';

describe('CRM outbox', () => {
  let h: AnalyticsHarness;
  let outbox: Outbox;
  beforeAll(async () => {
    h = await openHarness();
    outbox = new Outbox(h.engine.context.store.db, h.clock);
  });
  afterAll(async () => h?.close());

  it('queues once per idempotency key, retries with growing backoff, and stops once sent', async () => {
    expect(await outbox.enqueue('crm.call-summary', { callId: 'a' }, 'k-a')).toBe(true);
    expect(await outbox.enqueue('crm.call-summary', { callId: 'a', again: true }, 'k-a')).toBe(false);
    expect(await outbox.enqueue('crm.call-summary', { callId: 'b' }, 'k-b')).toBe(true);
    const due = await outbox.due();
    expect(due.map((m) => [m.idempotencyKey, m.payload])).toEqual([['k-a', { callId: 'a' }], ['k-b', { callId: 'b' }]]);

    const first = due[0]!;
    await outbox.markFailed(first.id, 'CRM answered 503');
    expect((await outbox.due()).map((m) => m.idempotencyKey)).toEqual(['k-b']);
    h.clock.advance(30_000);
    const retried = (await outbox.due()).find((m) => m.id === first.id)!;
    expect(retried).toMatchObject({ attempts: 1, lastError: 'CRM answered 503' });
    await outbox.markFailed(first.id, 'timeout');
    h.clock.advance(59_999);
    expect((await outbox.due()).some((m) => m.id === first.id)).toBe(false); // second wait doubles to 60 s
    h.clock.advance(1);
    expect((await outbox.due()).find((m) => m.id === first.id)?.attempts).toBe(2);

    for (const m of await outbox.due()) await outbox.markSent(m.id);
    expect(await outbox.pendingCount()).toBe(0);
    expect(await outbox.due()).toEqual([]);
    expect(await outbox.replacePending('k-a', { late: true })).toBe(false); // sent messages are never rewritten
  });
});
