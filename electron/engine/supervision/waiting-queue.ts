import { sql, type Kysely } from 'kysely';
import { ParleyError, type AcceptVia, type AudioStreamTicket, type Supervisor, type WaitEnd, type WaitingCaller } from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import { readSettings } from '../storage/campaign-settings-store';
import type { Database } from '../storage/schema';
import type { CallStore } from '../voice/call-store';
import type { LiveCall, LiveCalls } from './live-calls';
import type { SupervisorControls } from './supervisor-controls';

export interface WaitingTimings {
  /** A short hold line this often while the caller waits (15–20 s feels attended, not nagging). */
  holdEveryMs: number;
  /** Replaces every campaign's `transferWaitSeconds` (tests). */
  waitMs?: number;
}

export const DEFAULT_WAITING: WaitingTimings = { holdEveryMs: 17_000 };

const HOLD_LINES = [
  "Thanks for holding. I'm still getting a colleague for you.",
  'Still with you. A colleague will be with you shortly.',
  'Thank you for your patience; someone will be with you in a moment.',
];

const RECENT_TURNS = 6;

interface Waiting {
  call: LiveCall;
  reason: string;
  requestedBy: string;
  since: number;
  deadline: number;
  target: string | null;
  takenBy: string | null;
  callerHungUp: boolean;
  timers: Array<ReturnType<typeof setTimeout>>;
  off: () => void;
  holdCount: number;
}

/**
 * The "waiting for a person" queue: a caller who asked for one (the agent heard it, or a supervisor
 * asked for them) is kept company with hold lines while every console sees them waiting. The first
 * desk agent to accept takes the call over, or puts it through to the campaign's transfer number;
 * if nobody does in time, the agent comes back and offers a callback. Persisted in `call_transfers`
 * so a restart closes calls that were waiting when Parley stopped.
 */
export class WaitingQueue {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly deps: { live: LiveCalls; controls: SupervisorControls; db: Kysely<Database>; calls: CallStore; events: EventBus; clock: Clock; logger: Logger; timings: WaitingTimings },
  ) {}

  /**
   * After a crash: requests still `waiting` belong to calls that died with the process. Their rows
   * become `interrupted` and their calls are closed, so nothing shows as waiting.
   */
  async closeInterrupted(): Promise<number> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db.selectFrom('call_transfers').select('call_id').where('state', '=', 'waiting').execute();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.call_id);
    await this.deps.db.transaction().execute(async (tx) => {
      await tx.updateTable('call_transfers').set({ state: 'interrupted', closed_at: now, detail: 'Parley stopped while the caller waited for a person' }).where('call_id', 'in', ids).execute();
      await tx
        .updateTable('calls')
        // A caller waiting for a person was in conversation: the same outcome the dialer's recovery gives.
        .set({ state: 'ended', ended_at: now, outcome: sql<string>`coalesce(outcome, 'interrupted')` })
        .where('id', 'in', ids)
        .where('state', '!=', 'ended')
        .execute();
      await tx
        .insertInto('call_events')
        .values(ids.map((id) => ({ call_id: id, at: now, kind: 'transfer.interrupted', data: JSON.stringify({ detail: 'Parley stopped while the caller waited for a person; the call was closed on restart' }) })))
        .execute();
    });
    this.deps.logger.warn({ count: ids.length }, 'closed calls left waiting for a person when Parley stopped');
    return ids.length;
  }

  list(): WaitingCaller[] {
    return [...this.waiting.values()].map((w) => this.view(w));
  }

  /** Puts the call in the queue (once; asking again returns the same entry). */
  async request(call: LiveCall, reason: string, requestedBy: string): Promise<WaitingCaller> {
    const callId = call.view.callId;
    const existing = this.waiting.get(callId);
    if (existing) return this.view(existing);
    if (call.view.line !== 'in-call') throw new ParleyError('conflict', 'The call has not been answered yet');
    const { waitSeconds, target } = await this.campaignTransfer(call);
    const meanwhile = this.waiting.get(callId);
    if (meanwhile) return this.view(meanwhile);
    if (!this.deps.live.get(callId)) throw new ParleyError('conflict', 'The call has ended');
    const now = this.deps.clock.now();
    const entry: Waiting = {
      call,
      reason,
      requestedBy,
      since: now,
      deadline: now + (this.deps.timings.waitMs ?? waitSeconds * 1_000),
      target: target && call.leg.transfer ? target : null,
      takenBy: null,
      callerHungUp: false,
      timers: [],
      off: call.leg.onEvent((event) => {
        if (event.type === 'hangup' && event.by === 'caller') entry.callerHungUp = true;
      }),
      holdCount: 0,
    };
    this.waiting.set(callId, entry);
    call.facts.personRequested = true;
    call.facts.wait = null;
    call.session.awaitPerson();
    // Asked for by a supervisor: the caller hears it honestly (the agent says it itself when they asked).
    if (requestedBy !== 'the caller') call.session.holdLine("I'm getting a colleague to help you. Please stay on the line; it may take a minute or two.", true);
    entry.timers.push(setTimeout(() => this.timedOut(entry), entry.deadline - now));
    this.scheduleHold(entry);
    const view = this.view(entry);
    this.deps.live.log(call, 'person-requested', requestedBy === 'the caller' ? null : requestedBy, `Waiting for a person: ${reason}`, { reason });
    void this.deps.calls.write(callId, 'transfer', async () => {
      await this.deps.db
        .insertInto('call_transfers')
        .values({ call_id: callId, campaign_id: call.info.campaignId, reason, requested_by: requestedBy, state: 'waiting', requested_at: now, closed_at: null, taken_by: null, via: null, detail: null })
        .onConflict((oc) => oc.column('call_id').doUpdateSet({ reason, requested_by: requestedBy, state: 'waiting', requested_at: now, closed_at: null, taken_by: null, via: null, detail: null }))
        .execute();
      await this.deps.calls.event(callId, 'transfer.requested', { reason, requestedBy });
    });
    this.deps.events.emit('call.person-waiting', view);
    return view;
  }

  /**
   * First come: the claim is made before anything is awaited, so of two consoles one gets the call
   * and the other a `conflict` naming who took it.
   */
  async accept(callId: string, supervisor: Supervisor, via: AcceptVia): Promise<{ via: AcceptVia; ticket: AudioStreamTicket | null; target: string | null; detail: string }> {
    const entry = this.waiting.get(callId);
    if (!entry) {
      const taken = this.deps.live.find(callId)?.facts.wait;
      if (taken?.by) throw new ParleyError('conflict', `Taken by ${taken.by}`);
      throw new ParleyError('conflict', 'This caller is no longer waiting for a person');
    }
    if (entry.takenBy) throw new ParleyError('conflict', `Taken by ${entry.takenBy}`);
    if (via === 'transfer' && !entry.target) throw new ParleyError('conflict', 'This call cannot be put through: set a human transfer number on the campaign (on a line that can transfer), or take it over');
    if (via === 'desk-phone' && !(entry.call.leg.deskPhones && entry.call.leg.transfer)) throw new ParleyError('conflict', 'This call cannot ring a desk phone: only calls on a Twilio line can; take it over instead');
    entry.takenBy = supervisor.name;
    this.deps.events.emit('call.person-taken', { callId, by: supervisor.name, via });
    const { call } = entry;
    try {
      if (via === 'takeover') {
        const ticket = await this.deps.controls.speak(callId, supervisor, 'takeover');
        this.close(entry, 'taken-over', `${supervisor.name} took the call over`, supervisor.name, 'takeover');
        return { via, ticket, target: null, detail: `You have the call. ${entry.reason}` };
      }
      // A desk phone is addressed by the accepting user's id (the identity of their Voice SDK token).
      const target = via === 'desk-phone' ? `client:${supervisor.id}` : entry.target!;
      const shown = via === 'desk-phone' ? `${supervisor.name}'s phone` : target;
      this.clearTimers(entry);
      call.session.holdLine("I'm putting you through to a colleague now.", true);
      await call.leg.transfer!(target);
      this.close(entry, 'transferred', `${supervisor.name} put the call through to ${shown}`, supervisor.name, via, shown);
      return { via, ticket: null, target: shown, detail: via === 'desk-phone' ? 'The call is ringing your phone: answer it there' : `Put through to ${target}` };
    } catch (error) {
      // Back in the queue for someone else (or another way); the caller is still kept company.
      if (this.waiting.get(callId) === entry && this.deps.live.get(callId)) {
        entry.takenBy = null;
        this.clearTimers(entry);
        entry.timers.push(setTimeout(() => this.timedOut(entry), Math.max(1_000, entry.deadline - this.deps.clock.now())));
        this.scheduleHold(entry);
        this.deps.events.emit('call.person-waiting', this.view(entry));
      }
      if (error instanceof ParleyError) throw error;
      throw new ParleyError('unavailable', (error as Error).message);
    }
  }

  /** The call ended: a caller still waiting hung up waiting (or the call was ended for them). */
  callEnded(call: LiveCall): void {
    const entry = this.waiting.get(call.view.callId);
    if (!entry) return;
    if (entry.callerHungUp) this.close(entry, 'caller-hung-up', 'The caller hung up while waiting for a person', null, null);
    else this.close(entry, 'call-ended', 'The call ended while the caller waited for a person', null, null);
  }

  private timedOut(entry: Waiting): void {
    if (this.waiting.get(entry.call.view.callId) !== entry || entry.takenBy) return;
    const seconds = Math.round((this.deps.clock.now() - entry.since) / 1000);
    this.close(entry, 'timed-out', `Nobody accepted within ${seconds} s; the AI offers a callback`, null, null);
    entry.call.session.personUnavailable();
  }

  private scheduleHold(entry: Waiting): void {
    const timer = setTimeout(() => {
      if (this.waiting.get(entry.call.view.callId) !== entry || entry.takenBy) return;
      if (entry.call.session.holdLine(HOLD_LINES[entry.holdCount % HOLD_LINES.length]!)) entry.holdCount++;
      this.scheduleHold(entry);
    }, this.deps.timings.holdEveryMs);
    entry.timers.push(timer);
  }

  private clearTimers(entry: Waiting): void {
    for (const timer of entry.timers.splice(0)) clearTimeout(timer);
  }

  private close(entry: Waiting, end: WaitEnd, detail: string, by: string | null, via: AcceptVia | null, target: string | null = null): void {
    const { call } = entry;
    const callId = call.view.callId;
    if (this.waiting.get(callId) !== entry) return;
    this.waiting.delete(callId);
    this.clearTimers(entry);
    entry.off();
    if (end !== 'timed-out') call.session.stopWaiting();
    call.facts.wait = { end, by, target };
    const now = this.deps.clock.now();
    const waitedMs = now - entry.since;
    if (by) this.deps.live.log(call, 'person-accepted', by, detail, { via, target });
    else this.deps.live.log(call, 'person-wait-over', null, detail, { end });
    void this.deps.calls.write(callId, 'transfer', async () => {
      await this.deps.db.updateTable('call_transfers').set({ state: end, closed_at: now, taken_by: by, via, detail }).where('call_id', '=', callId).execute();
      // `transfer.caller-hung-up` is what the abandonment figures count.
      await this.deps.calls.event(callId, `transfer.${end}`, { waitedMs, by, via, target, detail });
    });
    this.deps.events.emit('call.person-wait-over', { callId, end, waitedMs, detail });
  }

  private view(entry: Waiting): WaitingCaller {
    const { call } = entry;
    const v = call.view;
    return {
      callId: v.callId,
      campaignId: v.campaignId,
      campaignName: v.campaignName,
      contactName: v.contactName,
      phone: v.phone,
      reason: entry.reason,
      requestedBy: entry.requestedBy,
      since: new Date(entry.since).toISOString(),
      deadline: new Date(entry.deadline).toISOString(),
      recentTurns: call.turns.slice(-RECENT_TURNS).map((t) => ({ speaker: t.speaker, text: t.text })),
      answers: [...v.answers],
      canTransferTo: entry.target,
      deskPhone: Boolean(call.leg.deskPhones && call.leg.transfer),
      takenBy: entry.takenBy,
    };
  }

  /** The campaign's wait limit and where a caller can be put through (campaign setting, else the line's). */
  private async campaignTransfer(call: LiveCall): Promise<{ waitSeconds: number; target: string | null }> {
    const { campaignId } = call.info;
    const campaign = campaignId ? await this.deps.db.selectFrom('campaigns').select('settings').where('id', '=', campaignId).executeTakeFirst() : undefined;
    const settings = readSettings(campaign?.settings ?? '{}');
    let target = settings.humanTransferTarget || null;
    if (!target) {
      const line = await this.deps.db
        .selectFrom('calls')
        .innerJoin('lines', 'lines.id', 'calls.line_id')
        .select('lines.settings')
        .where('calls.id', '=', call.view.callId)
        .executeTakeFirst();
      target = lineTransferTarget(line?.settings);
    }
    return { waitSeconds: settings.transferWaitSeconds, target };
  }

  dispose(): void {
    for (const entry of this.waiting.values()) {
      this.clearTimers(entry);
      entry.off();
    }
    this.waiting.clear();
  }
}

function lineTransferTarget(json: string | undefined): string | null {
  if (!json) return null;
  try {
    const value = (JSON.parse(json) as { transferTarget?: unknown }).transferTarget;
    return typeof value === 'string' && value.trim() ? value.trim() : null;
  } catch {
    return null;
  }
}
