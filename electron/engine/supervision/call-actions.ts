import { ParleyError, type AudioStreamTicket, type CallbackAssignee, type ControlLogEntry, type Supervisor } from '../../contracts';
import type { Clock } from '../clock';
import type { DialingServices } from '../dialer/services';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Store } from '../storage/database';
import type { AudioSink, AudioStreamHub } from './audio-streams';
import type { LiveCall, LiveCalls } from './live-calls';
import type { SupervisorControls } from './supervisor-controls';

/**
 * The actions that do not change who controls a call: listen in (any number of supervisors),
 * end, do-not-call, callback, notes and alerts. Ending and marking are refused while another
 * supervisor controls the call.
 */
export class CallActions {
  private readonly listeners = new Map<string, Set<AudioSink>>();

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

  async scheduleCallback(callId: string, supervisor: Supervisor, at: string, note: string | undefined, assignTo: CallbackAssignee = 'ai'): Promise<{ at: string; queued: boolean; detail: string }> {
    const call = await this.deps.live.require(callId);
    this.deps.controls.assertMayAct(callId, supervisor);
    const when = Date.parse(at);
    if (!(when > this.deps.clock.now())) throw new ParleyError('invalid_payload', 'The callback time is in the past', [{ path: 'at', message: 'Pick a time in the future' }]);
    const callbacks = this.deps.dialing().callbacks;
    const assigneeUserId = callbacks.assigneeOf(assignTo, supervisor.id);
    const { campaignId, contactId, dryRun } = call.info;
    // Booked at once (a crash loses nothing); a dry run books nothing and only notes it on the call.
    const { callback, detail } = callbacks.bookFromCall({ callId, source: 'supervisor', requestedBy: supervisor.name, at: when, note, assigneeUserId, call: { campaignId, contactId, dryRun } });
    const iso = callback?.dueAt ?? new Date(when).toISOString();
    this.deps.live.log(call, 'schedule-callback', supervisor.name, `${supervisor.name} scheduled a callback for ${iso}${note ? `: ${note}` : ''}`, { at: iso, note, queued: callback !== null, callbackId: callback?.id ?? null });
    return { at: iso, queued: callback !== null, detail };
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

  /** The call is over: listeners are told. */
  callEnded(call: LiveCall): void {
    const callId = call.view.callId;
    for (const sink of this.listeners.get(callId) ?? []) sink.close('The call has ended');
    this.listeners.delete(callId);
    this.deps.hub.revokeCall(callId);
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

  dispose(): Promise<void> {
    for (const set of this.listeners.values()) for (const sink of set) sink.close('Parley is shutting down');
    this.listeners.clear();
    return Promise.resolve();
  }
}
