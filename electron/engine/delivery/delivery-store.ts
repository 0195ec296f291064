import type BetterSqlite3 from 'better-sqlite3';
import { toMessage, type OutboxMessage } from '../analysis/outbox';
import type { DeliveryResult } from './target';

/** The outbox as the delivery worker and the Sync screen see it (rows of migrations 004 and 015). */
export interface OutboxRowView {
  id: string;
  kind: string;
  target: string;
  idempotencyKey: string;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  sentAt: number | null;
  deadAt: number | null;
  lastError: string | null;
  remoteId: string | null;
}

export type OutboxState = 'pending' | 'failing' | 'sent' | 'dead';

interface Row {
  id: string;
  kind: string;
  payload: string;
  idempotency_key: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  last_error: string | null;
  sent_at: number | null;
  dead_at: number | null;
  remote_id: string | null;
  target: string;
}

const STATE_WHERE: Record<OutboxState, string> = {
  pending: 'sent_at is null and dead_at is null and attempts = 0',
  failing: 'sent_at is null and dead_at is null and attempts > 0',
  sent: 'sent_at is not null',
  dead: 'dead_at is not null',
};

/**
 * Every statement the delivery worker and the sync commands run, prepared once. Claims take only the
 * oldest undelivered row of each ordering key, so one contact's facts arrive in the order they
 * happened; a dead-lettered row no longer holds the ones after it.
 */
export class DeliveryStore {
  private readonly claimStatement: BetterSqlite3.Statement;
  private readonly sentStatement: BetterSqlite3.Statement;
  private readonly failedStatement: BetterSqlite3.Statement;
  private readonly holdBehindStatement: BetterSqlite3.Statement;
  private readonly logStatement: BetterSqlite3.Statement;
  private readonly countsStatement: BetterSqlite3.Statement;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.claimStatement = sqlite.prepare(`
      select o.* from outbox o
      where o.target = @target and o.sent_at is null and o.dead_at is null and o.next_attempt_at <= @now
        and not exists (
          select 1 from outbox p
          where p.target = o.target and p.order_key = o.order_key and p.sent_at is null and p.dead_at is null
            and (p.created_at < o.created_at or (p.created_at = o.created_at and p.rowid < o.rowid)))
      order by o.next_attempt_at
      limit @limit`);
    this.sentStatement = sqlite.prepare('update outbox set sent_at = @at, last_error = null, remote_id = @remoteId, attempts = attempts + 1 where id = @id');
    this.failedStatement = sqlite.prepare('update outbox set attempts = attempts + @counted, next_attempt_at = @next, last_error = @error, dead_at = @dead where id = @id');
    // The rows queued behind a row that must wait cannot go before it: they wait as long, so a claim,
    // reading in next-attempt order, meets heads of their keys first and stops early.
    this.holdBehindStatement = sqlite.prepare(`
      update outbox set next_attempt_at = @next
      where target = @target and order_key = (select order_key from outbox where id = @id) and sent_at is null and dead_at is null
        and next_attempt_at < @next and rowid > (select rowid from outbox where id = @id)`);
    this.logStatement = sqlite.prepare('insert into delivery_log (outbox_id, target, at, ok, status, error, duration_ms) values (@id, @target, @at, @ok, @status, @error, @durationMs)');
    this.countsStatement = sqlite.prepare(`
      select target,
        sum(case when sent_at is null and dead_at is null and attempts = 0 then 1 else 0 end) as pending,
        sum(case when sent_at is null and dead_at is null and attempts > 0 then 1 else 0 end) as failing,
        sum(case when sent_at is not null then 1 else 0 end) as sent,
        sum(case when dead_at is not null then 1 else 0 end) as dead,
        min(case when sent_at is null and dead_at is null then created_at end) as oldest_pending_at
      from outbox group by target`);
  }

  /** Due rows of one target, heads of their ordering keys only, skipping ids already in flight. */
  claim(target: string, now: number, limit: number, inFlight: { has(id: string): boolean; readonly size: number }): OutboxMessage[] {
    const rows = this.claimStatement.all({ target, now, limit: limit + inFlight.size }) as Row[];
    return rows.filter((row) => !inFlight.has(row.id)).slice(0, limit).map(toMessage);
  }

  /** Records one attempt and its outcome in one transaction. */
  record(message: OutboxMessage, target: string, result: DeliveryResult, outcome: { at: number; durationMs: number; next?: number; dead?: boolean; counted?: boolean }): void {
    this.sqlite.transaction(() => {
      if (result.ok) this.sentStatement.run({ id: message.id, at: outcome.at, remoteId: result.remoteId ?? null });
      else {
        const next = outcome.next ?? message.nextAttemptAt;
        this.failedStatement.run({ id: message.id, counted: outcome.counted === false ? 0 : 1, next, error: result.error.slice(0, 1_000), dead: outcome.dead ? outcome.at : null });
        if (!outcome.dead) this.holdBehindStatement.run({ id: message.id, target, next });
      }
      this.logStatement.run({ id: message.id, target, at: outcome.at, ok: result.ok ? 1 : 0, status: result.status ?? null, error: result.ok ? null : result.error.slice(0, 1_000), durationMs: Math.round(outcome.durationMs) });
    })();
  }

  counts(): Array<{ target: string; pending: number; failing: number; sent: number; dead: number; oldestPendingAt: number | null }> {
    return (this.countsStatement.all() as Array<{ target: string; pending: number; failing: number; sent: number; dead: number; oldest_pending_at: number | null }>).map((r) => ({
      target: r.target,
      pending: r.pending,
      failing: r.failing,
      sent: r.sent,
      dead: r.dead,
      oldestPendingAt: r.oldest_pending_at,
    }));
  }

  /** A page of rows, newest first, by state and target; `before` is the last row's (createdAt, id). */
  list(filter: { state?: OutboxState; target?: string; limit: number; before?: { createdAt: number; id: string } }): OutboxRowView[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit };
    if (filter.state) where.push(STATE_WHERE[filter.state]);
    if (filter.target) {
      where.push('target = @target');
      params.target = filter.target;
    }
    if (filter.before) {
      where.push('(created_at < @beforeAt or (created_at = @beforeAt and id < @beforeId))');
      params.beforeAt = filter.before.createdAt;
      params.beforeId = filter.before.id;
    }
    const sql = `select id, kind, target, idempotency_key, attempts, created_at, next_attempt_at, sent_at, dead_at, last_error, remote_id from outbox
      ${where.length ? `where ${where.join(' and ')}` : ''} order by created_at desc, id desc limit @limit`;
    return (this.sqlite.prepare(sql).all(params) as Row[]).map(toView);
  }

  get(id: string): (OutboxRowView & { payload: unknown }) | undefined {
    const row = this.sqlite.prepare('select * from outbox where id = ?').get(id) as Row | undefined;
    return row ? { ...toView(row), payload: JSON.parse(row.payload) } : undefined;
  }

  attempts(id: string, limit = 50): Array<{ at: number; ok: boolean; status: number | null; error: string | null; durationMs: number }> {
    return (this.sqlite.prepare('select at, ok, status, error, duration_ms from delivery_log where outbox_id = ? order by at desc, id desc limit ?').all(id, limit) as Array<{ at: number; ok: number; status: number | null; error: string | null; duration_ms: number }>).map(
      (r) => ({ at: r.at, ok: r.ok === 1, status: r.status, error: r.error, durationMs: r.duration_ms }),
    );
  }

  /** Failing or dead-lettered rows go back to the queue, due now, with a fresh attempt count. */
  retry(now: number, ids?: string[], target?: string): number {
    const base = 'update outbox set dead_at = null, attempts = 0, next_attempt_at = @now where sent_at is null and (dead_at is not null or attempts > 0)';
    if (ids) return this.sqlite.transaction(() => ids.reduce((n, id) => n + this.sqlite.prepare(`${base} and id = @id`).run({ now, id }).changes, 0))();
    return this.sqlite.prepare(target ? `${base} and target = @target` : base).run(target ? { now, target } : { now }).changes;
  }

  /** Sent rows are delivered again, with the same idempotency key (the target recognises a repeat). */
  replay(now: number, ids: string[]): number {
    const statement = this.sqlite.prepare('update outbox set sent_at = null, dead_at = null, attempts = 0, next_attempt_at = @now where id = @id and sent_at is not null');
    return this.sqlite.transaction(() => ids.reduce((n, id) => n + statement.run({ now, id }).changes, 0))();
  }
}

function toView(row: Row): OutboxRowView {
  return {
    id: row.id,
    kind: row.kind,
    target: row.target,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    sentAt: row.sent_at,
    deadAt: row.dead_at,
    lastError: row.last_error,
    remoteId: row.remote_id,
  };
}
