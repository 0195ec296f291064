import { ParleyError, type CallbackAssignee, type CallbackView, type CampaignSettings } from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import { DRY_RUN_CALLBACK } from '../lines/dry-run';
import type { Logger } from '../logging';
import { readSettings } from '../storage/campaign-settings-store';
import { DEFAULT_CAMPAIGN_SETTINGS } from '../../contracts';
import type { CallbackSource } from '../storage/callbacks-tables';
import type { Store } from '../storage/database';
import { CallbacksRepository } from './callbacks-repository';
import { nextDayOpening, placeInWindow } from './calling-window-placement';
import { parseSpokenTime } from './spoken-time';

const REMINDER_EVERY_MS = 15_000;
const HOUR = 3_600_000;

export interface BookingRequest {
  callId: string;
  source: CallbackSource;
  requestedBy: string;
  /** The words asked ("tomorrow at ten"); used when `at` is absent. */
  words?: string | undefined;
  /** An exact instant (the supervisor's picker); wins over `words`. */
  at?: number | undefined;
  note?: string | undefined;
  /** Null: the AI calls back. */
  assigneeUserId: string | null;
  /** What the live console already knows of the call (it may not be stored yet while it rings). */
  call?: { campaignId: string | null; contactId: string | null; dryRun: boolean } | undefined;
}

export interface BookingResult {
  callback: CallbackView | null;
  /** One line for the control log and the caller of the command. */
  detail: string;
}

interface CallFacts {
  campaign_id: string | null;
  contact_id: string | null;
  dry_run: number;
}

/**
 * The one callbacks queue: every source books here (the agent's schedule-callback action, the
 * supervisor's button, the analysis's next action), the dialer places the AI's at their time and desk
 * agents work their own from the Callbacks screen. A dry-run call books nothing.
 */
export class CallbackService {
  readonly repository: CallbacksRepository;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: { store: Store; clock: Clock; events: EventBus; logger: Logger }) {
    this.repository = new CallbacksRepository(deps.store.sqlite);
    this.timer = setInterval(() => this.remind(), REMINDER_EVERY_MS);
    this.timer.unref?.();
  }

  /** Books a callback for the contact of a call. Never throws for a call that cannot have one: says why instead. */
  bookFromCall(request: BookingRequest): BookingResult {
    const sqlite = this.deps.store.sqlite;
    const stored = sqlite.prepare('select campaign_id, contact_id, dry_run from calls where id = ?').get(request.callId) as CallFacts | undefined;
    const facts: CallFacts | undefined = request.call
      ? { campaign_id: request.call.campaignId, contact_id: request.call.contactId, dry_run: request.call.dryRun || stored?.dry_run === 1 ? 1 : 0 }
      : stored;
    if (!facts) return { callback: null, detail: 'No such call: no callback booked' };
    if (facts.dry_run === 1) return { callback: null, detail: DRY_RUN_CALLBACK };
    if (!facts.contact_id) return { callback: null, detail: 'Recorded on the call; a test call has no contact to call back' };
    const campaign = facts.campaign_id ? (sqlite.prepare('select settings from campaigns where id = ?').get(facts.campaign_id) as { settings: string } | undefined) : undefined;
    const contact = sqlite.prepare('select timezone from contacts where id = ?').get(facts.contact_id) as { timezone: string | null } | undefined;
    if (!contact) return { callback: null, detail: 'The contact no longer exists: no callback booked' };
    const settings = campaign ? readSettings(campaign.settings) : DEFAULT_CAMPAIGN_SETTINGS;
    const zone = contact.timezone ?? settings.defaultTimezone;
    const now = this.deps.clock.now();
    const { dueAt, reading } = this.dueTime(request, settings, zone, now);
    const callback = this.repository.insert(
      {
        contactId: facts.contact_id,
        campaignId: facts.campaign_id,
        originCallId: request.callId,
        dueAt,
        zone,
        askedWords: request.words?.trim() ? request.words.trim().slice(0, 200) : null,
        source: request.source,
        requestedBy: request.requestedBy,
        note: request.note?.trim() ? request.note.trim().slice(0, 500) : null,
        assigneeUserId: request.assigneeUserId,
      },
      now,
    );
    this.deps.logger.info({ callbackId: callback.id, callId: request.callId, dueAt: callback.dueAt, source: request.source }, 'callback booked');
    this.deps.events.emit('callback.changed', callback);
    this.deps.events.emit('callback.booked', callback);
    const who = callback.assignee ? callback.assignee.name : 'the AI';
    return { callback, detail: `Callback booked for ${callback.dueAt} (${reading}, ${zone}), assigned to ${who}` };
  }

  private dueTime(request: BookingRequest, settings: CampaignSettings, zone: string, now: number): { dueAt: number; reading: string } {
    let dueAt: number;
    let reading: string;
    if (request.at !== undefined) [dueAt, reading] = [request.at, 'as picked'];
    else {
      const spoken = request.words ? parseSpokenTime(request.words, zone, now) : null;
      if (spoken) [dueAt, reading] = [spoken.epochMs, spoken.reading];
      else [dueAt, reading] = [nextDayOpening(settings.callingWindow, zone, now) ?? now + 24 * HOUR, 'no time given: the next calling day'];
    }
    // The AI only dials inside the calling window: its callback is due at the window's next opening.
    if (request.assigneeUserId === null) dueAt = placeInWindow(settings.callingWindow, zone, dueAt) ?? dueAt;
    return { dueAt, reading };
  }

  list(filter: { scope: 'mine' | 'ai' | 'all'; userId: string; contactId?: string | undefined; open: boolean }): CallbackView[] {
    const assignee = filter.scope === 'mine' ? filter.userId : filter.scope === 'ai' ? 'ai' : undefined;
    return this.repository.list({ assignee, contactId: filter.contactId, open: filter.open });
  }

  reschedule(id: string, at: number, assignTo: CallbackAssignee | undefined, userId: string): CallbackView {
    if (!(at > this.deps.clock.now())) throw new ParleyError('invalid_payload', 'The callback time is in the past', [{ path: 'at', message: 'Pick a time in the future' }]);
    const assigneeUserId = assignTo === undefined ? undefined : this.assigneeOf(assignTo, userId);
    return this.change(id, { state: 'scheduled', dueAt: at, assigneeUserId, resultCallId: null });
  }

  cancel(id: string, reason: string | undefined): CallbackView {
    return this.change(id, { state: 'cancelled', ...(reason ? { note: reason } : {}) });
  }

  /** A desk agent takes a callback to dial it by hand: it becomes theirs. */
  callNow(id: string, userId: string): CallbackView {
    return this.change(id, { state: 'dialing', assigneeUserId: userId });
  }

  markResult(id: string, result: 'done' | 'missed', note: string | undefined): CallbackView {
    return this.change(id, { state: result, ...(note ? { note } : {}) });
  }

  /** 'ai' -> null, 'me' -> the actor, or a named user who must exist. */
  assigneeOf(assignTo: CallbackAssignee, userId: string): string | null {
    if (assignTo === 'ai') return null;
    if (assignTo === 'me') return userId;
    if (!this.repository.userExists(assignTo.userId)) throw new ParleyError('invalid_payload', 'No such user to assign the callback to', [{ path: 'assignTo', message: 'Pick an existing user' }]);
    return assignTo.userId;
  }

  private change(id: string, changes: Parameters<CallbacksRepository['update']>[1]): CallbackView {
    const before = this.repository.require(id);
    if (!this.repository.update(id, changes, this.deps.clock.now())) throw new ParleyError('conflict', `That callback is already ${before.state}`);
    const after = this.repository.require(id);
    this.deps.events.emit('callback.changed', after);
    return after;
  }

  /** Announces desk agents' callbacks as they fall due (each once). */
  remind(): void {
    try {
      for (const callback of this.repository.takeDueReminders(this.deps.clock.now())) {
        this.deps.events.emit('callback.due', { callback, userId: callback.assignee!.userId });
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'callback reminders failed');
    }
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
