import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createEngine } from '../../engine';
import type { Benchmark } from './index';
import { seededRandom } from './seeded-random';
import { SyncReceiver } from './sync-receiver';

const ROWS = 10_000;
const SUBJECTS = 2_000;

/**
 * `parley bench sync`: drains 10,000 outbox rows (2,000 contacts, five events each) to a local webhook
 * receiver that fails 20% of requests with a 500, through the real delivery worker, signing and
 * ordering included. In its own temporary data folder: no office's data is touched.
 */
export const benchmark: Benchmark = {
  description: 'outbox delivery: 10,000 rows to a local receiver failing 20% of requests',
  async run({ log }) {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-sync-'));
    const random = seededRandom(7);
    const receiver = new SyncReceiver({ failShare: 0.2, random });
    const url = await receiver.start();
    const engine = await createEngine({
      dataDir,
      host: 'test',
      logger: pino({ level: 'silent' }),
      dialer: { mode: 'off' },
      delivery: { run: true, worker: { firstBackoffMs: 20, maxBackoffMs: 200, maxAttempts: 50, pollMs: 50 } },
    });
    try {
      const { webhook } = await engine.context.delivery.createWebhook({ url, events: ['call.completed'] });
      const sqlite = engine.context.store.sqlite;
      const insert = sqlite.prepare("insert into outbox (id, kind, payload, idempotency_key, next_attempt_at, created_at, target, order_key) values (?, 'call.completed', ?, ?, ?, ?, ?, ?)");
      const now = Date.now();
      sqlite.transaction(() => {
        for (let i = 0; i < ROWS; i++) {
          const id = randomUUID();
          const subject = `contact-${i % SUBJECTS}`;
          const body = JSON.stringify({ type: 'call.completed', timestamp: new Date(now).toISOString(), data: { contactId: subject, seq: Math.floor(i / SUBJECTS) } });
          insert.run(id, body, `msg_${id}`, now, now, `webhook:${webhook.id}`, subject);
        }
      })();
      log(`queued ${ROWS} rows for ${SUBJECTS} contacts; delivering to ${url} (20% of requests fail)`);
      const started = performance.now();
      const deadline = Date.now() + 10 * 60_000;
      for (;;) {
        const target = engine.context.delivery.status().targets.find((t) => t.name === `webhook:${webhook.id}`)!;
        if (target.sent === ROWS || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const seconds = (performance.now() - started) / 1_000;
      // Per contact, events must have arrived in the order they were queued.
      const lastSeq = new Map<string, number>();
      let outOfOrder = 0;
      for (const id of receiver.arrivals) {
        const data = (receiver.accepted.get(id)!.body as { data: { contactId: string; seq: number } }).data;
        if ((lastSeq.get(data.contactId) ?? -1) > data.seq) outOfOrder++;
        lastSeq.set(data.contactId, data.seq);
      }
      const result = {
        rows: ROWS,
        rowsPerSecond: Math.round(ROWS / seconds),
        seconds: Number(seconds.toFixed(1)),
        requests: receiver.requests,
        duplicates: receiver.duplicates,
        lost: ROWS - receiver.accepted.size,
        outOfOrder,
      };
      log(`delivered ${receiver.accepted.size} of ${ROWS} in ${result.seconds} s (${result.rowsPerSecond}/s), ${receiver.requests} requests, ${result.duplicates} duplicates, ${outOfOrder} out of order`);
      return result;
    } finally {
      await engine.dispose();
      await receiver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
