import type BetterSqlite3 from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import type { Actor, AuditAction, AuditEntry, AuditFilter } from '../../contracts';
import type { Clock } from '../clock';
import type { Logger } from '../logging';

/** Who acted: a session's actor, or (for sign-in) the account being signed into. */
export type AuditWho = Pick<Actor, 'username' | 'origin'> & { userId?: string | null };

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  origin: string;
  action: AuditAction;
  target: string;
  detail: string;
}

/** The append-only audit log (the table's triggers refuse updates and deletes). */
export class AuditLog {
  constructor(private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock; logger: Logger }) {}

  /** Records one entry. Never throws into the action it records: a failure is logged. */
  record(who: AuditWho, action: AuditAction, target: string, detail: Record<string, unknown> = {}): void {
    try {
      this.deps.sqlite
        .prepare('insert into audit_log (at, actor, actor_id, origin, action, target, detail) values (?, ?, ?, ?, ?, ?, ?)')
        .run(this.deps.clock.now(), who.username, who.userId ?? null, who.origin, action, target.slice(0, 200), JSON.stringify(detail));
    } catch (error) {
      this.deps.logger.error({ err: error, action }, 'audit entry could not be written');
    }
  }

  list(filter: AuditFilter & { before?: number; limit?: number }): { entries: AuditEntry[]; more: boolean } {
    const limit = filter.limit ?? 100;
    const { where, params } = whereOf(filter);
    if (filter.before !== undefined) {
      where.push('seq < ?');
      params.push(filter.before);
    }
    const rows = this.deps.sqlite
      .prepare(`select * from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc limit ?`)
      .all(...params, limit + 1) as AuditRow[];
    return { entries: rows.slice(0, limit).map(entryOf), more: rows.length > limit };
  }

  exportCsv(filter: AuditFilter): { filename: string; rows: number; csv: string } {
    const { where, params } = whereOf(filter);
    const rows = (this.deps.sqlite.prepare(`select * from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by seq`).all(...params) as AuditRow[]).map(entryOf);
    const csv = stringify(
      rows.map((e) => [e.seq, e.at, e.actor, e.origin, e.action, e.target, JSON.stringify(e.detail)]),
      { header: true, columns: ['seq', 'at', 'actor', 'origin', 'action', 'target', 'detail'] },
    );
    return { filename: `parley-audit-${new Date(this.deps.clock.now()).toISOString().slice(0, 10)}.csv`, rows: rows.length, csv };
  }
}

function whereOf(filter: AuditFilter): { where: string[]; params: Array<string | number> } {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (filter.actor) {
    where.push('actor = ? collate nocase');
    params.push(filter.actor);
  }
  if (filter.action) {
    where.push('action = ?');
    params.push(filter.action);
  }
  if (filter.from) {
    where.push('at >= ?');
    params.push(Date.parse(filter.from));
  }
  if (filter.to) {
    where.push('at <= ?');
    params.push(Date.parse(filter.to));
  }
  return { where, params };
}

function entryOf(row: AuditRow): AuditEntry {
  return { seq: row.seq, at: new Date(row.at).toISOString(), actor: row.actor, origin: row.origin, action: row.action, target: row.target, detail: JSON.parse(row.detail) as Record<string, unknown> };
}
