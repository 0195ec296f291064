import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock';
import type { OutboxTable } from '../storage/analysis-tables';
import type { Database } from '../storage/schema';

export interface OutboxMessage {
  id: string;
  kind: string;
  payload: unknown;
  idempotencyKey: string;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  lastError: string | null;
}

/** First retry after 30 s, doubling up to 6 h: a CRM that is down for a day is retried ~12 times. */
const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 6 * 60 * 60_000;

/**
 * The CRM outbox: written in the same database as the thing it reports, delivered at least once by
 * a sync worker that claims due rows and marks them sent or failed. The idempotency key makes
 * re-queuing the same fact a no-op and travels to the CRM so a repeat delivery is recognised there.
 */
export class Outbox {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues a message for a target (`crm` unless said); returns false when one with the same
   * idempotency key is already queued or sent. Messages with the same `orderKey` (a contact's id)
   * are delivered in the order they were queued.
   */
  async enqueue(kind: string, payload: unknown, idempotencyKey: string, route: { target?: string; orderKey?: string } = {}): Promise<boolean> {
    const now = this.clock.now();
    const id = randomUUID();
    const result = await this.db
      .insertInto('outbox')
      .values({ id, kind, payload: JSON.stringify(payload), idempotency_key: idempotencyKey, next_attempt_at: now, created_at: now, target: route.target ?? 'crm', order_key: route.orderKey ?? id })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Replaces the payload of a message that has not been sent yet (a re-run analysis supersedes the old one). */
  async replacePending(idempotencyKey: string, payload: unknown): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({ payload: JSON.stringify(payload), next_attempt_at: this.clock.now() })
      .where('idempotency_key', '=', idempotencyKey)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Messages due for delivery, oldest first. */
  async due(limit = 50): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', this.clock.now())
      .orderBy('next_attempt_at')
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  async markSent(id: string): Promise<void> {
    await this.db.updateTable('outbox').set({ sent_at: this.clock.now(), last_error: null }).where('id', '=', id).execute();
  }

  /** Records a failed delivery and schedules the next attempt with exponential backoff. */
  async markFailed(id: string, error: string): Promise<void> {
    const row = await this.db.selectFrom('outbox').select('attempts').where('id', '=', id).executeTakeFirst();
    if (!row) return;
    const attempts = row.attempts + 1;
    const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempts - 1));
    await this.db
      .updateTable('outbox')
      .set({ attempts, next_attempt_at: this.clock.now() + delay, last_error: error.slice(0, 1_000) })
      .where('id', '=', id)
      .execute();
  }

  async pendingCount(): Promise<number> {
    const row = await this.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('sent_at', 'is', null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

/** An outbox row as a message (the delivery store reads the same columns). */
export function toMessage(row: Pick<Selectable<OutboxTable>, 'id' | 'kind' | 'payload' | 'idempotency_key' | 'attempts' | 'next_attempt_at' | 'created_at' | 'last_error'>): OutboxMessage {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload),
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    lastError: row.last_error,
  };
}
