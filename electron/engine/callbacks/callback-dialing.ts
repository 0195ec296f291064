import type BetterSqlite3 from 'better-sqlite3';
import type { AttemptOutcome } from '../../contracts';
import type { EventBus } from '../event-bus';
import type { CallbacksRepository } from './callbacks-repository';

export interface DueCallback {
  callbackId: string;
  /** The contact's queue row, as the dialer's own due query gives it. */
  entry: { contact_id: string; seq: number; next_at: number; attempts: number; variant: string | null };
  contactId: string;
  askedWords: string | null;
  note: string | null;
}

/**
 * What the dialer asks of the callbacks queue each tick: the AI's callbacks that are due for a
 * campaign (placed ahead of fresh contacts), and the queue rows they need to be dialled.
 */
export class CallbackDialing {
  private readonly s: Record<'requeue' | 'due' | 'byAttempt', BetterSqlite3.Statement>;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly repository: CallbacksRepository,
    private readonly events: EventBus,
  ) {
    this.s = {
      // A contact with a scheduled AI callback is queued for its due time: one whose last call ended
      // ('done'), and one queued for a retry (a call a crash closed is retried): the caller asked for that
      // time, so no retry reaches them before it. Do-not-call rows never come back.
      requeue: sqlite.prepare(
        `update campaign_contacts set state = 'queued', next_at = (
           select min(cb.due_at) from callbacks cb where cb.campaign_id = campaign_contacts.campaign_id
             and cb.contact_id = campaign_contacts.contact_id and cb.state = 'scheduled' and cb.assignee_user_id is null), updated_at = @now
         where campaign_id = @campaign and state in ('done', 'queued') and contact_id in (
           select contact_id from callbacks where campaign_id = @campaign and state = 'scheduled' and assignee_user_id is null)`,
      ),
      due: sqlite.prepare(
        `select cb.id as callbackId, cb.contact_id as contactId, cb.asked_words as askedWords, cb.note as note, q.timezone as zone,
           q.seq, q.next_at, q.attempts, q.variant
         from callbacks cb join campaign_contacts q on q.campaign_id = cb.campaign_id and q.contact_id = cb.contact_id
         where cb.campaign_id = ? and cb.state = 'scheduled' and cb.assignee_user_id is null and cb.due_at <= ? and q.state = 'queued'
         order by cb.due_at limit ?`,
      ),
      byAttempt: sqlite.prepare(`select id from callbacks where result_call_id = ? and state = 'dialing'`),
    };
  }

  /** The AI callbacks of a campaign that are due now, for contacts in a zone whose window is open. */
  due(campaignId: string, openZones: string[], now: number, limit: number): DueCallback[] {
    const zones = new Set(openZones);
    type Row = { callbackId: string; contactId: string; askedWords: string | null; note: string | null; zone: string; seq: number; next_at: number; attempts: number; variant: string | null };
    return (this.s.due.all(campaignId, now, limit) as Row[])
      .filter((row) => zones.has(row.zone))
      .map((r) => ({ callbackId: r.callbackId, contactId: r.contactId, askedWords: r.askedWords, note: r.note, entry: { contact_id: r.contactId, seq: r.seq, next_at: r.next_at, attempts: r.attempts, variant: r.variant } }));
  }

  /** Puts contacts with a scheduled AI callback back in the campaign's queue (run each tick, before the due query). */
  requeue(campaignId: string, now: number): void {
    this.s.requeue.run({ campaign: campaignId, now });
  }

  /** The dialer placed the callback's call. */
  dialing(callbackId: string, attemptId: string, now: number): void {
    if (this.repository.update(callbackId, { state: 'dialing', resultCallId: attemptId }, now)) this.emit(callbackId);
  }

  /** The callback's call is over: answered is done; anything else is missed (the contact's retries go on as usual). */
  attemptEnded(attemptId: string, outcome: AttemptOutcome, now: number): void {
    const row = this.s.byAttempt.get(attemptId) as { id: string } | undefined;
    if (!row) return;
    if (this.repository.update(row.id, { state: outcome === 'completed' ? 'done' : 'missed' }, now)) this.emit(row.id);
  }

  private emit(id: string): void {
    const view = this.repository.get(id);
    if (view) this.events.emit('callback.changed', view);
  }
}

/** The line the agent's brief gets on a callback call. */
export function callbackBriefLine(callback: DueCallback): string {
  const asked = callback.askedWords ? ` (they asked: "${callback.askedWords}")` : '';
  return `This is the callback they asked for${asked}; say so first.${callback.note ? ` Reason: ${callback.note}.` : ''}`;
}
