import type { Kysely } from 'kysely';
import {
  ParleyError,
  type AlertKind,
  type CallController,
  type CallTurn,
  type ControlAction,
  type ControlLogEntry,
  type EngineEvent,
  type LiveCallView,
  type SupervisorSpeech,
  type TurnLatencyView,
} from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { CallLeg } from '../ports/telephony';
import type { Database } from '../storage/schema';
import type { LiveCallInfo, VoiceCallLauncher } from '../voice/call-launcher';
import type { CallSession, SessionActivity } from '../voice/call-session';
import type { CallStore } from '../voice/call-store';
import type { AgentAction } from '../voice/agents/types';
import { CallAlerts, type AlertRules } from './alerts';
import { NO_FACTS, outcomeInWords, shortTime, type CallFacts } from './outcome-words';
import type { SupervisedStretch } from './hand-back-summary';
import { QuestionTracker } from './question-answers';

const MAX_TURNS = 500;
const MAX_LOG = 200;
/** Ended calls kept for review (their cards stay in the console's "Ended" section). */
const MAX_RECENT = 100;

/** Everything the console sees of one live call, and what the controls need of it. */
export interface LiveCall {
  view: LiveCallView;
  info: LiveCallInfo;
  session: CallSession;
  leg: CallLeg;
  alerts: CallAlerts;
  questions: QuestionTracker;
  turns: CallTurn[];
  pendingLatency: TurnLatencyView | null;
  supervisorSpeech: SupervisorSpeech[];
  log: ControlLogEntry[];
  /** While a supervisor barges in or has taken over: what is said, for the hand-back summary. */
  stretch: SupervisedStretch | null;
  quietSince: number;
  off: Array<() => void>;
  /** What the outcome in words is made of. */
  facts: CallFacts;
}

/**
 * The board: every call from the moment its line is dialled until it ends, kept current from the
 * voice pipeline (activity, turns, latency) and the engine's events (emotion, alerts), and told
 * to the consoles as small events keyed by call id.
 */
export class LiveCalls {
  private readonly calls = new Map<string, LiveCall>();
  /** Calls that ended lately, newest last: still readable (transcript, answers, log) until pushed out. */
  private readonly recent = new Map<string, LiveCall>();
  private readonly off: Array<() => void> = [];
  private silenceTimer: ReturnType<typeof setInterval> | undefined;
  /** Told when a call is over (controls drop leases, close streams). */
  onEnded: (call: LiveCall) => void = () => undefined;
  /** Told when the agent hears the caller ask for a person (the waiting queue takes it from there). */
  onPersonRequested: (call: LiveCall, reason: string) => void = () => undefined;

  constructor(
    private readonly deps: { db: Kysely<Database>; events: EventBus; clock: Clock; logger: Logger; launcher: VoiceCallLauncher; store: CallStore; rules: AlertRules },
  ) {}

  start(): void {
    this.off.push(
      this.deps.launcher.observe({
        placed: (info, session, leg) => this.placed(info, session, leg),
        disposition: (callId, action) => this.disposition(callId, action),
        ended: (callId) => this.ended(callId),
      }),
    );
    this.off.push(this.deps.events.subscribe((event) => this.onEvent(event)));
    this.silenceTimer = setInterval(() => this.checkSilence(), 1_000);
    this.silenceTimer.unref?.();
  }

  get(callId: string): LiveCall | undefined {
    return this.calls.get(callId);
  }

  /** The live call, or a clear error: `not_found` for an unknown id, `conflict` for a call that is over. */
  async require(callId: string): Promise<LiveCall> {
    const call = this.calls.get(callId);
    if (call) return call;
    const row = await this.deps.db.selectFrom('calls').select(['state', 'outcome']).where('id', '=', callId).executeTakeFirst();
    if (!row) throw new ParleyError('not_found', `No call with id ${callId}`);
    if (row.state === 'ended') throw new ParleyError('conflict', `This call has already ended${row.outcome ? ` (${row.outcome})` : ''}; there is nothing left to control`);
    throw new ParleyError('conflict', `This call is not running in this Parley (it is ${row.state})`);
  }

  /** A live call, or one that ended lately (for review). */
  find(callId: string): LiveCall | undefined {
    return this.calls.get(callId) ?? this.recent.get(callId);
  }

  board(): LiveCallView[] {
    return [...this.calls.values()].map((c) => ({ ...c.view })).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  all(): LiveCall[] {
    return [...this.calls.values()];
  }

  /** Writes a control action to the call's events and tells every console. */
  log(call: LiveCall, action: ControlAction, supervisor: string | null, detail: string, data: Record<string, unknown> = {}): ControlLogEntry {
    const entry: ControlLogEntry = { at: new Date(this.deps.clock.now()).toISOString(), action, supervisor, detail };
    call.log.push(entry);
    if (action === 'end-call') call.facts.endedBy = supervisor;
    if (action === 'schedule-callback' && typeof data.at === 'string') call.facts.supervisorCallback = data.at;
    if (call.log.length > MAX_LOG) call.log.shift();
    const { callId } = call.view;
    void this.deps.store.write(callId, 'supervision', () => this.deps.store.event(callId, `supervisor.${action}`, { supervisor, detail, ...data }));
    this.deps.events.emit('call.control', { callId, controller: call.view.controller, listeners: call.view.listeners, entry });
    return entry;
  }

  setController(call: LiveCall, controller: CallController | null): void {
    call.view.controller = controller;
    this.emitActivity(call);
  }

  /** Shows (or clears) the disclosure a person in control still has to read. */
  setDisclosureOwed(call: LiveCall, text: string | null): void {
    if ((call.view.disclosureOwed ?? null) === text) return;
    call.view.disclosureOwed = text;
    this.deps.events.emit('call.live', { ...call.view });
  }

  setAgentHeld(call: LiveCall, held: boolean): void {
    call.view.agent = held ? 'held' : 'listening';
    this.emitActivity(call);
  }

  setSupervisorSpeaking(call: LiveCall, speaking: boolean): void {
    call.view.supervisorSpeaking = speaking;
    if (speaking) this.active(call);
    this.emitActivity(call);
  }

  addSupervisorSpeech(call: LiveCall, speech: SupervisorSpeech): void {
    call.supervisorSpeech.push(speech);
    if (speech.text) call.view.lastLine = { speaker: 'supervisor', text: speech.text, at: new Date(speech.endedAt).toISOString() };
    call.stretch?.lines.push({ speaker: 'supervisor', text: speech.text, durationMs: speech.endedAt - speech.startedAt });
    this.deps.events.emit('call.supervisor-speech', speech);
  }

  raise(call: LiveCall, kind: AlertKind, message: string): void {
    const raised = call.alerts.raise(kind, message, this.deps.clock.now());
    if (raised) this.emitAlerts(call, raised);
  }

  emitAlerts(call: LiveCall, raised: LiveCallView['alerts'][number] | null): void {
    call.view.alerts = call.alerts.list;
    this.deps.events.emit('call.attention', { callId: call.view.callId, alerts: call.view.alerts, raised });
  }

  private placed(info: LiveCallInfo, session: CallSession, leg: CallLeg): void {
    const now = this.deps.clock.now();
    const brief = info.brief;
    const call: LiveCall = {
      info,
      session,
      leg,
      alerts: new CallAlerts(this.deps.rules),
      questions: new QuestionTracker(brief.questions),
      turns: [],
      pendingLatency: null,
      supervisorSpeech: [],
      log: [],
      stretch: null,
      quietSince: now,
      off: [],
      facts: { ...NO_FACTS },
      view: {
        callId: info.callId,
        campaignId: info.campaignId,
        campaignName: brief.campaignName,
        contactId: info.contactId,
        contactName: brief.contact.name ?? null,
        phone: info.phone,
        telephony: info.telephony,
        dryRun: info.dryRun,
        direction: info.direction,
        startedAt: new Date(now).toISOString(),
        answeredAt: null,
        line: 'dialing',
        agent: 'listening',
        callerSpeaking: false,
        supervisorSpeaking: false,
        lastLine: null,
        interim: null,
        emotion: null,
        alerts: [],
        controller: null,
        listeners: 0,
        context: brief.contact.context ?? null,
        disclosureOwed: null,
        agentKind: info.agentKind,
        questions: brief.questions,
        answers: [],
      },
    };
    this.calls.set(info.callId, call);
    call.off.push(session.onActivity((activity) => this.onActivity(call, activity)));
    call.off.push(
      leg.onEvent((event) => {
        if (event.type === 'ringing' && call.view.line === 'dialing') {
          call.view.line = 'ringing';
          this.emitActivity(call);
        }
      }),
    );
    this.deps.events.emit('call.live', { ...call.view });
  }

  private disposition(callId: string, action: AgentAction): void {
    const call = this.calls.get(callId);
    if (!call) return;
    if (action.type === 'mark-dnc') call.facts.doNotCall = true;
    else if (action.type === 'schedule-callback') call.facts.callback = { when: action.when?.trim() || null };
    else if (action.type === 'transfer-to-human') {
      try {
        this.onPersonRequested(call, action.reason?.trim() || 'The caller asked for a person');
      } catch (error) {
        this.deps.logger.warn({ err: error, callId }, 'queueing a caller for a person failed');
      }
    }
  }

  private ended(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.calls.delete(callId);
    this.recent.set(callId, call);
    if (this.recent.size > MAX_RECENT) this.recent.delete(this.recent.keys().next().value!);
    for (const off of call.off.splice(0)) off();
    try {
      this.onEnded(call);
    } catch (error) {
      this.deps.logger.warn({ err: error, callId }, 'closing a call’s supervision failed');
    }
  }

  private onActivity(call: LiveCall, activity: SessionActivity): void {
    const view = call.view;
    if (activity.type === 'agent-words') {
      const at = this.deps.clock.now();
      view.lastLine = { speaker: 'agent', text: activity.text, at: new Date(at).toISOString() };
      this.active(call);
      this.deps.events.emit('call.agent-words', { callId: view.callId, utterance: activity.utterance, text: activity.text, at });
      return;
    }
    if (activity.type === 'interim') {
      view.interim = activity.text;
      this.active(call);
      this.deps.events.emit('call.interim', { callId: view.callId, text: activity.text });
      return;
    }
    if (activity.type === 'caller-speaking') {
      view.callerSpeaking = activity.speaking;
      if (activity.speaking) this.active(call);
    } else {
      view.agent = view.agent === 'held' && activity.state !== 'speaking' ? 'held' : activity.state;
      if (activity.state === 'speaking') this.active(call);
    }
    this.emitActivity(call);
  }

  private emitActivity(call: LiveCall): void {
    const { callId, line, agent, callerSpeaking, supervisorSpeaking } = call.view;
    this.deps.events.emit('call.activity', { callId, line, agent, callerSpeaking, supervisorSpeaking });
  }

  private active(call: LiveCall): void {
    call.quietSince = this.deps.clock.now();
    call.alerts.onActivity();
  }

  private onEvent(event: EngineEvent): void {
    if (event.name === 'call.ended') return this.concluded(event.payload.callId, event.payload.outcome);
    if (!('callId' in event.payload)) return;
    const call = this.calls.get(event.payload.callId);
    if (!call) return;
    const now = this.deps.clock.now();
    switch (event.name) {
      case 'call.answered':
        call.view.line = 'in-call';
        call.view.answeredAt = new Date(now).toISOString();
        this.active(call);
        this.emitActivity(call);
        return;
      case 'call.turn': {
        const { callId: _id, ...turn } = event.payload;
        const latency = turn.speaker === 'agent' ? call.pendingLatency : null;
        if (turn.speaker === 'agent') call.pendingLatency = null;
        // A caller who went on before the agent answered: the same seq again, with the whole turn.
        const same = call.turns.findIndex((t) => t.seq === turn.seq);
        if (same >= 0) call.turns[same] = { ...turn, latency: call.turns[same]!.latency };
        else call.turns.push({ ...turn, latency });
        if (call.turns.length > MAX_TURNS) call.turns.shift();
        call.view.lastLine = { speaker: turn.speaker, text: turn.text, at: new Date(turn.endedAt).toISOString() };
        if (turn.speaker === 'caller') {
          call.view.interim = null;
          for (const raised of call.alerts.onCallerWords(turn.text, now)) this.emitAlerts(call, raised);
        }
        call.stretch?.lines.push({ speaker: turn.speaker, text: turn.text, durationMs: turn.endedAt - turn.startedAt });
        this.active(call);
        if (call.questions.onTurn(turn.speaker, turn.text, turn.seq)) {
          call.view.answers = call.questions.list;
          this.deps.events.emit('call.answers', { callId: call.view.callId, answers: call.view.answers });
        }
        return;
      }
      case 'call.latency': {
        const { callId: _id, ...latency } = event.payload;
        call.pendingLatency = latency;
        return;
      }
      case 'call.emotion': {
        const { smoothed, confidence } = event.payload;
        call.view.emotion = { label: smoothed.label, confidence, valence: smoothed.valence, arousal: smoothed.arousal };
        const raised = call.alerts.onEmotion({ label: event.payload.label, valence: event.payload.valence }, now);
        if (raised) this.emitAlerts(call, raised);
        return;
      }
      case 'call.frustration':
        this.raise(call, 'frustration', `Frustration has lasted ${event.payload.turns} turns; the agent was told to ${event.payload.actions.map((a) => a.replace('_', ' ')).join(', ') || 'carry on'}`);
        return;
      case 'call.alert':
        this.raise(call, event.payload.kind === 'transfer-requested' ? 'transfer-requested' : 'error', event.payload.message);
        return;
      default:
        return;
    }
  }

  /** The ended call's card: the outcome in words, told to every console. */
  private concluded(callId: string, outcome: string): void {
    const call = this.recent.get(callId);
    if (!call) return;
    const endedAt = new Date(this.deps.clock.now()).toISOString();
    call.view.endedAt = endedAt;
    call.view.outcome = outcomeInWords(call.facts, outcome, shortTime);
    call.view.callerSpeaking = false;
    call.view.supervisorSpeaking = false;
    call.view.interim = null;
    call.view.controller = null;
    this.deps.events.emit('call.concluded', { callId, outcome: call.view.outcome, endedAt });
  }

  private checkSilence(): void {
    const now = this.deps.clock.now();
    for (const call of this.calls.values()) {
      const v = call.view;
      if (v.line !== 'in-call' || v.callerSpeaking || v.supervisorSpeaking || v.agent === 'speaking' || v.agent === 'thinking') continue;
      const raised = call.alerts.checkSilence(call.quietSince, now);
      if (raised) this.emitAlerts(call, raised);
    }
  }

  dispose(): void {
    if (this.silenceTimer) clearInterval(this.silenceTimer);
    for (const off of this.off.splice(0)) off();
    for (const call of this.calls.values()) for (const off of call.off.splice(0)) off();
    this.calls.clear();
    this.recent.clear();
  }
}
