import { ParleyError, type AudioStreamTicket, type ControlLogEntry, type Supervisor } from '../../contracts';
import type { Clock } from '../clock';
import { DRY_RUN_CALLBACK } from '../lines/dry-run';
import type { DialingServices } from '../dialer/services';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Store } from '../storage/database';
import type { AudioSink, AudioStreamHub } from './audio-streams';
import type { LiveCall, LiveCalls } from './live-calls';
import type { SupervisorControls } from './supervisor-controls';

interface Callback {
  campaignId: string;
  contactId: string;
  at: number;
}

const SETTLE_WAIT_MS = 10_000;

/**
 * The actions that do not change who controls a call: listen in (any number of supervisors),
 * end, do-not-call, callback, notes and alerts. Ending and marking are refused while another
 * supervisor controls the call.
 */
export class CallActions {
  private readonly listeners = new Map<string, Set<AudioSink>>();
  private readonly callbacks = new Map<string, Callback>();
  private readonly applying = new Set<Promise<void>>();
  private disposed = false;

  constructor(
    private readonly deps: { live: LiveCalls; controls: SupervisorControls; hub: AudioStreamHub; dialing: () => DialingServices; store: Store; events: EventBus; clock: Clock; logger: Logger },
  ) {}

  async listen(callId: string, supervisor: Supervisor): Promise<AudioStreamTicket> {
    const call = await this.deps.live.require(callId);
    const ticket = this.deps.hub.issue(callId, (sink) => this.openListener(call, supervisor, sink), () =>
      this.deps.live.log(call, 'listen-stopped', supervisor.name, `${supervisor.name}'s listening stream never connected`),
    );
    return ticket;
  }

  async endCall(callId: string, supervisor: Supervisor, reason: string | undefined): Promise<{ ended: boolean }> {
    const call = await this.deps.live.require(callId);
    this.deps.controls.assertMayAct(callId, supervisor);
    const why = reason || `Ended by ${supervisor.name}`;
    this.deps.live.log(call, 'end-call', supervisor.name, `${supervisor.name} ended the call: ${why}`);
    if (call.view.line === 'in-call') call.session.hangUp(why);
    else await call.leg.hangup(); // not answered yet: the launcher records it as not answered
    return { ended: true };
  }

  async markDnc(callId: string, supervisor: Supervisor, reason: string | undefined): Promise<{ phone: string }> {
    const call = await this.deps.live.require(callId);
    this.deps.controls.assertMayAct(callId, supervisor);
    if (!call.info.phone) throw new ParleyError('conflict', 'A softphone test call has no phone number to put on the do-not-call list');
    const entry = await this.deps.dialing().markDoNotCall({ phone: call.info.phone, callId, reason: reason || `Marked by ${supervisor.name} during the call`, source: 'supervisor', by: supervisor.name });
    this.deps.live.log(call, 'mark-dnc', supervisor.name, `${supervisor.name} put ${entry.phone} on the do-not-call list`, { phone: entry.phone });
    return { phone: entry.phone };
  }

  async scheduleCallback(callId: string, supervisor: Supervisor, at: string, note: string | undefined): Promise<{ at: string; queued: boolean; detail: string }> {
    const call = await this.deps.live.require(callId);
    this.deps.controls.assertMayAct(callId, supervisor);
    const when = Date.parse(at);
    if (!(when > this.deps.clock.now())) throw new ParleyError('invalid_payload', 'The callback time is in the past', [{ path: 'at', message: 'Pick a time in the future' }]);
    const iso = new Date(when).toISOString();
    const { campaignId, contactId, dryRun } = call.info;
    // A dry run books nothing: the callback is only noted on the call.
    const queued = Boolean(campaignId && contactId) && !dryRun;
    if (queued && campaignId && contactId) this.callbacks.set(callId, { campaignId, contactId, at: when });
    const detail = queued ? `The contact is queued to be called at ${iso} once this call ends` : dryRun ? DRY_RUN_CALLBACK : 'Recorded on the call; a test call has no contact to queue';
    this.deps.live.log(call, 'schedule-callback', supervisor.name, `${supervisor.name} scheduled a callback for ${iso}${note ? `: ${note}` : ''}`, { at: iso, note, queued });
    return { at: iso, queued, detail };
  }

  async note(callId: string, supervisor: Supervisor, text: string): Promise<ControlLogEntry> {
    const call = await this.deps.live.require(callId);
    return this.deps.live.log(call, 'note', supervisor.name, text, { text });
  }

  async dismissAlert(callId: string, supervisor: Supervisor, alertId: string) {
    const call = await this.deps.live.require(callId);
    const gone = call.alerts.dismiss(alertId);
    if (!gone) throw new ParleyError('not_found', 'That alert is no longer showing');
    this.deps.live.emitAlerts(call, null);
    this.deps.live.log(call, 'alert-dismissed', supervisor.name, `${supervisor.name} dismissed "${gone.message}"`);
    return { alerts: call.view.alerts };
  }

  /** The call is over: listeners are told, a scheduled callback is queued once the dialer has settled it. */
  callEnded(call: LiveCall): void {
    const callId = call.view.callId;
    for (const sink of this.listeners.get(callId) ?? []) sink.close('The call has ended');
    this.listeners.delete(callId);
    this.deps.hub.revokeCall(callId);
    const callback = this.callbacks.get(callId);
    this.callbacks.delete(callId);
    if (callback) {
      const work = this.queueCallback(callId, callback).catch((error: unknown) => this.deps.logger.error({ err: error, callId }, 'queueing a callback failed'));
      this.applying.add(work);
      void work.finally(() => this.applying.delete(work));
    }
  }

  private openListener(call: LiveCall, supervisor: Supervisor, sink: AudioSink) {
    const callId = call.view.callId;
    if (!this.deps.live.get(callId)) {
      sink.close('The call has ended');
      return { receive: () => undefined, closed: () => undefined };
    }
    const off = call.session.supervisors.add((samples, direction, sampleRate, source) => {
      sink.send({ kind: direction === 'inbound' ? 'caller' : source === 'supervisor' ? 'supervisor' : 'agent', callId, sampleRate, samples });
    });
    const set = this.listeners.get(callId) ?? new Set<AudioSink>();
    set.add(sink);
    this.listeners.set(callId, set);
    call.view.listeners = set.size;
    this.deps.live.log(call, 'listen', supervisor.name, `${supervisor.name} listens in`);
    return {
      receive: () => undefined,
      closed: () => {
        off();
        set.delete(sink);
        call.view.listeners = set.size;
        if (this.deps.live.get(callId)) this.deps.live.log(call, 'listen-stopped', supervisor.name, `${supervisor.name} stopped listening`);
      },
    };
  }

  /** The dialer settles the attempt as the call ends; the callback time replaces its retry plan. */
  private async queueCallback(callId: string, callback: Callback): Promise<void> {
    const sqlite = this.deps.store.sqlite;
    const deadline = this.deps.clock.now() + SETTLE_WAIT_MS;
    while (!this.disposed) {
      const attempt = sqlite.prepare('select state from dial_attempts where id = ?').get(callId) as { state: string } | undefined;
      if (!attempt || attempt.state === 'ended' || this.deps.clock.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.disposed) return;
    const changed = sqlite
      .prepare("update campaign_contacts set state = 'queued', next_at = ?, updated_at = ? where campaign_id = ? and contact_id = ? and state != 'dnc'")
      .run(callback.at, this.deps.clock.now(), callback.campaignId, callback.contactId).changes;
    this.deps.logger.info({ callId, at: callback.at, changed }, 'callback queued by a supervisor');
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const set of this.listeners.values()) for (const sink of set) sink.close('Parley is shutting down');
    this.listeners.clear();
    await Promise.allSettled([...this.applying]);
  }
}
