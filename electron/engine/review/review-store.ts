import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { CallsQuery, ParleyError, type Actor, type CallNote, type SavedView } from '../../contracts';
import type { Clock } from '../clock';
import { noteOf } from './call-page';

/** Notes on calls (author from the session), per-user saved views of the calls list, and legal hold. */
export class ReviewStore {
  constructor(private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock }) {}

  addNote(callId: string, text: string, actor: Actor): CallNote {
    const { sqlite, clock } = this.deps;
    if (!sqlite.prepare('select 1 from calls where id = ?').get(callId)) throw new ParleyError('not_found', 'No such call');
    const row = sqlite
      .prepare('insert into call_notes (call_id, author_id, author, text, created_at) values (?, ?, ?, ?, ?) returning id, author, text, created_at')
      .get(callId, actor.userId, actor.username, text, clock.now()) as { id: number; author: string; text: string; created_at: number };
    return noteOf(row);
  }

  setLegalHold(callId: string, hold: boolean): { callId: string; legalHold: boolean } {
    const changed = this.deps.sqlite.prepare('update calls set legal_hold = ? where id = ?').run(hold ? 1 : 0, callId).changes;
    if (!changed) throw new ParleyError('not_found', 'No such call');
    return { callId, legalHold: hold };
  }

  views(actor: Actor): SavedView[] {
    const rows = this.deps.sqlite.prepare('select id, name, query, updated_at from saved_views where user_id = ? order by name').all(actor.userId) as Array<{
      id: string;
      name: string;
      query: string;
      updated_at: number;
    }>;
    return rows.flatMap((row) => {
      const query = CallsQuery.safeParse(safeJson(row.query));
      return query.success ? [{ id: row.id, name: row.name, query: query.data, updatedAt: row.updated_at }] : [];
    });
  }

  /** Saves a view under a name; saving under an existing name replaces that view. */
  saveView(actor: Actor, name: string, query: unknown): SavedView {
    const parsed = CallsQuery.parse(query);
    const now = this.deps.clock.now();
    const row = this.deps.sqlite
      .prepare(
        `insert into saved_views (id, user_id, name, query, created_at, updated_at) values (?, ?, ?, ?, ?, ?)
         on conflict (user_id, name) do update set query = excluded.query, updated_at = excluded.updated_at returning id`,
      )
      .get(randomUUID(), actor.userId, name, JSON.stringify(parsed), now, now) as { id: string };
    return { id: row.id, name, query: parsed, updatedAt: now };
  }

  deleteView(actor: Actor, id: string): { id: string; removed: boolean } {
    return { id, removed: this.deps.sqlite.prepare('delete from saved_views where id = ? and user_id = ?').run(id, actor.userId).changes > 0 };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
