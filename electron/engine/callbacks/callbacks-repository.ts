import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type CallbackView } from '../../contracts';
import type { CallbackSource, CallbackState, CallbacksTable } from '../storage/callbacks-tables';

export interface NewCallback {
  contactId: string;
  campaignId: string | null;
  originCallId: string | null;
  dueAt: number;
  zone: string;
  askedWords: string | null;
  source: CallbackSource;
  requestedBy: string;
  note: string | null;
  assigneeUserId: string | null;
}

type Row = CallbacksTable & { contact_name: string; phone: string; campaign_name: string | null; assignee_name: string | null };

const SELECT = `select cb.*, c.name as contact_name, c.phone_e164 as phone, k.name as campaign_name,
    coalesce(u.display_name, u.username) as assignee_name
  from callbacks cb join contacts c on c.id = cb.contact_id
  left join campaigns k on k.id = cb.campaign_id left join users u on u.id = cb.assignee_user_id`;

/** The persisted callbacks queue, on the raw connection (the dialer reads it every tick). */
export class CallbacksRepository {
  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  insert(input: NewCallback, now: number): CallbackView {
    const id = randomUUID();
    this.sqlite
      .prepare(
        `insert into callbacks (id, contact_id, campaign_id, origin_call_id, due_at, zone, asked_words, source, requested_by, note,
           assignee_user_id, state, result_call_id, reminded_at, created_at, updated_at)
         values (@id, @contactId, @campaignId, @originCallId, @dueAt, @zone, @askedWords, @source, @requestedBy, @note,
           @assigneeUserId, 'scheduled', null, null, @now, @now)`,
      )
      .run({ id, ...input, now });
    return this.require(id);
  }

  get(id: string): CallbackView | undefined {
    const row = this.sqlite.prepare(`${SELECT} where cb.id = ?`).get(id) as Row | undefined;
    return row ? toView(row) : undefined;
  }

  require(id: string): CallbackView {
    const view = this.get(id);
    if (!view) throw new ParleyError('not_found', 'That callback does not exist');
    return view;
  }

  list(filter: { assignee?: string | 'ai'; contactId?: string; open: boolean }): CallbackView[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.open) where.push("cb.state in ('scheduled', 'dialing')");
    if (filter.assignee === 'ai') where.push('cb.assignee_user_id is null');
    else if (filter.assignee) {
      where.push('cb.assignee_user_id = ?');
      params.push(filter.assignee);
    }
    if (filter.contactId) {
      where.push('cb.contact_id = ?');
      params.push(filter.contactId);
    }
    const sql = `${SELECT}${where.length ? ` where ${where.join(' and ')}` : ''} order by cb.due_at, cb.created_at limit 1000`;
    return (this.sqlite.prepare(sql).all(...params) as Row[]).map(toView);
  }

  /** Only a scheduled or dialing callback changes; returns whether it did. */
  update(id: string, changes: { state?: CallbackState; dueAt?: number; assigneeUserId?: string | null; resultCallId?: string | null; note?: string | null }, now: number): boolean {
    const sets = ['updated_at = @now'];
    if (changes.state !== undefined) sets.push('state = @state');
    if (changes.dueAt !== undefined) sets.push('due_at = @dueAt', 'reminded_at = null');
    if (changes.assigneeUserId !== undefined) sets.push('assignee_user_id = @assigneeUserId');
    if (changes.resultCallId !== undefined) sets.push('result_call_id = @resultCallId');
    if (changes.note !== undefined) sets.push('note = @note');
    const result = this.sqlite
      .prepare(`update callbacks set ${sets.join(', ')} where id = @id and state in ('scheduled', 'dialing')`)
      .run({ id, now, state: changes.state, dueAt: changes.dueAt, assigneeUserId: changes.assigneeUserId, resultCallId: changes.resultCallId, note: changes.note });
    return result.changes > 0;
  }

  /** Scheduled callbacks of a desk agent that fell due and were not yet announced; marks them announced. */
  takeDueReminders(now: number): CallbackView[] {
    const ids = this.sqlite
      .prepare("select id from callbacks where state = 'scheduled' and due_at <= ? and assignee_user_id is not null and reminded_at is null limit 200")
      .all(now) as Array<{ id: string }>;
    const mark = this.sqlite.prepare('update callbacks set reminded_at = ? where id = ?');
    return ids.map(({ id }) => {
      mark.run(now, id);
      return this.require(id);
    });
  }

  userExists(userId: string): boolean {
    return this.sqlite.prepare('select 1 from users where id = ?').get(userId) !== undefined;
  }
}

function toView(row: Row): CallbackView {
  return {
    id: row.id,
    contactId: row.contact_id,
    contactName: row.contact_name,
    phone: row.phone,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    originCallId: row.origin_call_id,
    dueAt: new Date(row.due_at).toISOString(),
    zone: row.zone,
    askedWords: row.asked_words,
    source: row.source,
    requestedBy: row.requested_by,
    note: row.note,
    assignee: row.assignee_user_id ? { userId: row.assignee_user_id, name: row.assignee_name ?? row.assignee_user_id } : null,
    state: row.state,
    resultCallId: row.result_call_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
