import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { AgentBrief, CallLauncher, CallLine, CallProgress, CallRequest, DialOutcome } from '../ports/call-launcher';
import type { CallLeg, CallLegEvent, IncomingCall, Telephony } from '../ports/telephony';
import { SimulatedTelephony } from '../telephony/simulated/carrier';
import { LlmAgent, type LlmAgentOptions, DEFAULT_LLM_AGENT } from './agents/llm-agent';
import { ScriptedFlowAgent } from './agents/scripted-agent';
import type { AgentAction, CallBrief, ConversationAgent } from './agents/types';
import { abandonmentOf } from '../domain/abandonment';
import { redactText } from '../domain/redaction';
import type { CallRecordings, RecordingPolicy } from '../recording/call-recordings';
import type { CallRecorder } from '../recording/call-recorder';
import type { CallStore } from './call-store';
import { CallSession, DEFAULT_SESSION, type SessionOptions, type SessionResult } from './call-session';
import type { Confirmation, MachineDetectionOptions } from './machine-detection/machine-detector';
import { MachineScreeningLeg } from './machine-detection/screening-leg';
import type { VoiceRuntime } from './runtime';
import type { CallVoiceTier, VoiceTiers } from './voice-tiers';
import type { CallCosts } from '../costs/call-costs';
import type { LanguageModel } from '../ports/llm';
import { CallUsage } from '../costs/call-usage';
import { MeteredTts } from './metered-tts';

export interface LauncherOptions {
  session?: Partial<SessionOptions>;
  llmAgent?: Partial<LlmAgentOptions>;
  /** A call that is not answered within this long counts as no answer. */
  ringTimeoutMs?: number;
  /** Parley's own answering-machine detection, used on lines whose carrier has none. */
  machineDetection?: Partial<MachineDetectionOptions>;
  /** Records calls whose campaign says so (absent: nothing is recorded). */
  recordings?: CallRecordings;
}

type Answer = { answered: true; by: 'human' | 'machine' | 'unknown' } | { answered: false; outcome: DialOutcome; detail: string };

/** A call as the live console needs it (electron/engine/supervision). */
export interface LiveCallInfo {
  callId: string;
  campaignId: string | null;
  contactId: string | null;
  phone: string;
  brief: CallBrief;
  agentKind: 'llm' | 'scripted';
  telephony: string;
  /** On a simulated line: stored and shown, never writes real records. */
  dryRun: boolean;
  direction: 'outbound' | 'inbound';
}

/** How a call's leg comes to be: dialled out, or an incoming call accepted. */
interface Connect {
  carrier: Telephony;
  lineId: string | null;
  dryRun: boolean;
  direction: 'outbound' | 'inbound';
  leg(): Promise<CallLeg>;
  /** Runs once the session listens to the leg (an inbound call is accepted here). */
  listening?(): Promise<void>;
  /** Gives up on a leg that was never answered: a dialled one is hung up, an incoming one refused. */
  abandon(leg: CallLeg, why: string): Promise<void>;
}

/** Follows calls from the moment their line is dialled until they are over. Must not throw. */
export interface LiveCallObserver {
  /** Dialled, its session built (not answered yet). */
  placed?(info: LiveCallInfo, session: CallSession, leg: CallLeg): void;
  /** The agent decided something (do-not-call, callback, a person): as soon as it is decided. */
  disposition?(callId: string, action: AgentAction): void;
  /** Over, answered or not (just before `call.ended`). */
  ended?(callId: string): void;
}

/** From the dialer's brief (placeholders already filled) to what the agents read. */
export function briefFromDialer(brief: AgentBrief): CallBrief {
  return {
    campaignName: brief.campaignName,
    companyName: brief.companyName || undefined,
    agentName: brief.agentName || undefined,
    agentPrompt: brief.systemPrompt,
    questions: brief.questions,
    openingLine: brief.openingLine || undefined,
    closing: brief.closing || undefined,
    voicemailMessage: brief.voicemailMessage || undefined,
    voicemailAction: brief.voicemailAction,
    disclosure: brief.disclosure,
    voice: brief.voice || undefined,
    language: brief.language || undefined,
    contact: { name: brief.contactName || undefined, context: brief.contactContext || undefined },
    ...(brief.callback ? { callback: brief.callback.askedWords ? { askedWords: brief.callback.askedWords } : {} } : {}),
  };
}

/** One line for the dialer and the call list: how the call went. */
export function describeResult(result: SessionResult): string {
  const parts: string[] = [];
  for (const d of result.dispositions) {
    if (d.type === 'mark-dnc') parts.push('do-not-call');
    else if (d.type === 'schedule-callback') parts.push(`callback${d.when ? `: ${d.when}` : ''}`);
    else if (d.type === 'transfer-to-human') parts.push('transfer-requested');
  }
  if (result.voicemailLeft) parts.push('voicemail left');
  parts.push(`ended by ${result.endedBy}: ${result.reason}`);
  return parts.join('; ');
}

/**
 * The `CallLauncher` the dialer uses: dials through the telephony port, runs a CallSession on the
 * answered line, writes the call, its events, transcript and per-turn latency as they happen, and
 * resolves with the outcome. Call trouble never rejects: it becomes the outcome and its detail.
 */
export class VoiceCallLauncher implements CallLauncher {
  private readonly sessions = new Map<string, CallSession>();
  private readonly observers = new Set<LiveCallObserver>();
  private closed = false;
  private voiceTiers: VoiceTiers | undefined;
  private costs: CallCosts | undefined;
  private campaignModel: ((campaignId: string) => Promise<LanguageModel | undefined>) | undefined;

  constructor(
    private readonly runtime: VoiceRuntime,
    private readonly store: CallStore,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly options: LauncherOptions = {},
  ) {}

  /** A campaign's own language model, when it chose one that is not being skipped (set by the engine). */
  useCampaignModels(resolve: (campaignId: string) => Promise<LanguageModel | undefined>): void {
    this.campaignModel = resolve;
  }

  /** Where each call's measured usage is priced and written (set by the engine). */
  useCosts(costs: CallCosts): void {
    this.costs = costs;
  }

  /** Premium voices for hot leads (set by the engine once providers and budgets exist). */
  useVoiceTiers(tiers: VoiceTiers): void {
    this.voiceTiers = tiers;
  }

  get activeCalls(): number {
    return this.sessions.size;
  }

  session(callId: string): CallSession | undefined {
    return this.sessions.get(callId);
  }

  /** Returns the unsubscribe function. */
  observe(observer: LiveCallObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notify(call: (observer: LiveCallObserver) => void): void {
    for (const observer of this.observers) {
      try {
        call(observer);
      } catch (error) {
        this.logger.warn({ err: error }, 'live call observer failed');
      }
    }
  }

  /**
   * Dials and runs one call. The carrier is the request's line, else `telephony` (the desk agent's
   * softphone), else the runtime's. Without a line, a call on the simulated carrier is a dry run.
   */
  launch(request: CallRequest, progress?: CallProgress, briefOverride?: CallBrief, telephony?: Telephony): Promise<{ outcome: DialOutcome; detail?: string }> {
    const carrier = request.line?.telephony ?? telephony ?? this.runtime.telephony;
    return this.run(request, progress, briefOverride, {
      carrier,
      lineId: request.line?.id ?? null,
      dryRun: request.line ? request.line.dryRun : carrier instanceof SimulatedTelephony,
      direction: 'outbound',
      leg: () => carrier.dial({ callId: request.callId, to: request.phoneE164, detectMachine: true }),
      abandon: (leg) => leg.hangup(),
    });
  }

  /**
   * Runs a call that arrived on a line (`request.phoneE164` is the caller): accepted once the
   * session listens, then the same path as a dialled call (board, store, analysis).
   */
  answer(request: CallRequest & { line: CallLine }, incoming: IncomingCall, brief: CallBrief, progress?: CallProgress): Promise<{ outcome: DialOutcome; detail?: string }> {
    return this.run(request, progress, brief, {
      carrier: request.line.telephony,
      lineId: request.line.id,
      dryRun: request.line.dryRun,
      direction: 'inbound',
      leg: async () => incoming.leg,
      listening: () => incoming.accept(),
      abandon: (_leg, why) => incoming.reject('unavailable', why),
    });
  }

  private async run(request: CallRequest, progress: CallProgress | undefined, briefOverride: CallBrief | undefined, connect: Connect): Promise<{ outcome: DialOutcome; detail?: string }> {
    const { callId } = request;
    const { dryRun, direction } = connect;
    if (this.closed) return { outcome: 'failed', detail: 'The engine is shutting down' };
    const campaignId = request.campaignId || null;
    const contactId = request.contactId || null;
    let releaseEngines = (): void => undefined;
    // What the call uses, priced and written when it ends (before it is announced: budgets read it).
    const usage = new CallUsage();
    const end = async (outcome: DialOutcome, detail: string, durationMs = 0) => {
      releaseEngines();
      if (durationMs > 0) usage.add('line', connect.lineId ?? null, 'line-seconds', durationMs / 1_000);
      this.costs?.record(callId, campaignId, usage);
      await this.store.write(callId, 'ended', async () => {
        await this.store.callEnded(callId, outcome);
        await this.store.event(callId, 'call.ended', { outcome, detail });
      });
      await this.store.flush(callId);
      this.notify((o) => o.ended?.(callId));
      this.events.emit('call.ended', { callId, campaignId, outcome, detail, durationMs });
      return { outcome, detail };
    };
    await this.runtime.ready();
    // This call keeps the engines it starts with, even if a model is switched while it runs.
    releaseEngines = this.runtime.hold();
    await this.store.write(callId, 'created', () => this.store.callCreated({ callId, campaignId, contactId, dryRun, lineId: connect.lineId, direction }));
    let brief: CallBrief;
    try {
      brief = briefOverride ?? (request.brief ? briefFromDialer(request.brief) : await this.store.brief(request.campaignId, contactId));
    } catch (error) {
      return end('failed', `Cannot prepare the call: ${(error as Error).message}`);
    }
    const policy = await this.recordingPolicy(callId, campaignId, contactId, request.phoneE164, brief);
    if (policy?.askConsent) brief = { ...brief, askRecordingConsent: true };
    if (!this.runtime.tts) {
      const why = 'No voice is available (install espeak-ng)';
      if (direction === 'inbound') await connect.leg().then((leg) => connect.abandon(leg, why)).catch(() => undefined);
      return end('failed', why);
    }
    // The campaign's own model, else the office's choice, else the script.
    const model = (campaignId ? await this.campaignModel?.(campaignId).catch(() => undefined) : undefined) ?? this.runtime.llm;
    const agent: ConversationAgent = model
      ? new LlmAgent(model, brief, { ...DEFAULT_LLM_AGENT, ...this.options.llmAgent }, (e) => this.onAgentTrouble(callId, e.kind, e.message), undefined, (u) => {
          usage.add('llm', u.providerId, 'input-tokens', u.inputTokens);
          usage.add('llm', u.providerId, 'output-tokens', u.outputTokens);
        })
      : new ScriptedFlowAgent(brief);
    const line = connect.carrier;
    const engines = { ...this.engineNames(agent), telephony: line.name };
    this.events.emit('call.started', { callId, campaignId, contactId, agent: agent.kind, engines });

    let carrierLeg: CallLeg;
    try {
      carrierLeg = await connect.leg();
    } catch (error) {
      return end('failed', `Dialing failed: ${(error as Error).message}`);
    }
    let stt: ReturnType<VoiceRuntime['sttFor']>;
    try {
      stt = this.runtime.sttFor(carrierLeg);
    } catch (error) {
      await connect.abandon(carrierLeg, (error as Error).message).catch(() => undefined);
      return end('failed', (error as Error).message);
    }
    // A line whose carrier cannot tell a machine from a person gets Parley's own detection.
    const screening = direction === 'inbound' || line.capabilities.answeringMachineDetection
      ? undefined
      : new MachineScreeningLeg(carrierLeg, {
          detection: this.options.machineDetection,
          transcribe: (audio, segment, signal) => stt.transcribe(audio, { language: brief.language, segment, signal }).then((r) => r.text),
          onIssue: (message) => this.logger.warn({ callId, message }, 'answering-machine detection'),
          confirmMachines: brief.voicemailAction === 'hang-up',
        });
    const leg: CallLeg = screening ?? carrierLeg;
    // The session subscribes to the line now, before it can be answered: stream time starts at answer.
    // A campaign with a premium voice for hot leads speaks through a switchable voice.
    const tier = await this.voiceTiers?.forCall({ callId, campaignId, contactId, standard: this.runtime.tts }).catch((error: unknown) => {
      this.logger.warn({ err: error, callId }, 'voice tier not applied');
      return undefined;
    });
    const chosen = tier?.tts ?? this.runtime.tts;
    // espeak (the fallback voice) is local: nothing to meter, and the session must still recognise it as the fallback.
    const voice = chosen === this.runtime.fallbackTts ? chosen : new MeteredTts(chosen, (u) => usage.add('tts', u.providerId, 'characters', u.characters));
    const session = new CallSession(leg, { vad: this.runtime.vad, stt, tts: voice, fallbackTts: this.runtime.fallbackTts }, agent, this.runtime.clock, { ...DEFAULT_SESSION, ...this.options.session, voice: brief.voice, language: brief.language, redact: policy?.redact ?? false }, this.hooks(callId, request.phoneE164, policy?.redact ?? false, tier));
    const recorder: CallRecorder | undefined = policy?.record && this.options.recordings ? this.options.recordings.recorder(callId, policy, (what, work) => void this.store.write(callId, what, work)) : undefined;
    if (recorder) session.attachRecorder(recorder);
    this.notify((o) => o.placed?.({ callId, campaignId, contactId, phone: request.phoneE164, brief, agentKind: agent.kind, telephony: line.name, dryRun, direction }, session, leg));
    screening?.onBeep((beep) => {
      session.greetingOver();
      void this.store.write(callId, 'beep', () => this.store.event(callId, 'machine.beep', beep));
    });
    const answering = this.waitForAnswer(leg);
    try {
      await connect.listening?.();
    } catch (error) {
      await connect.abandon(leg, (error as Error).message).catch(() => undefined);
      await session.stopUnanswered();
      return end('failed', `The call could not be answered: ${(error as Error).message}`);
    }
    const answer = await answering;
    if (!answer.answered) {
      await session.stopUnanswered();
      await this.store.write(callId, 'no answer', () => this.store.event(callId, 'call.not-answered', { outcome: answer.outcome, detail: answer.detail }));
      return end(answer.outcome, answer.detail);
    }
    const verdict = screening?.verdict;
    // Before hanging up on a machine judged by sound alone, what follows must confirm it (not a receptionist).
    const check = answer.by === 'machine' && brief.voicemailAction === 'hang-up' && screening && verdict ? await this.confirmMachine(screening) : undefined;
    const answeredBy = check?.answeredBy === 'human' ? 'human' : answer.by;
    const decided = verdict
      ? { decidedBy: 'parley' as const, method: verdict.method, reason: verdict.reason, atMs: verdict.atMs, features: verdict.features, confirmation: check }
      : { decidedBy: line.capabilities.answeringMachineDetection || answer.by !== 'unknown' ? ('carrier' as const) : ('nobody' as const) };
    const who = answeredBy === 'unknown' ? 'someone (unknown)' : `a ${answeredBy === 'human' ? 'person' : 'machine'}`;
    const how = verdict ? `Parley: ${verdict.reason}${check ? `; ${check.answeredBy === 'human' ? 'refuted' : 'confirmed'}: ${check.reason}` : ''}` : decided.decidedBy === 'carrier' ? 'the carrier' : 'nobody';
    const howAnswered = `answered by ${who}, decided by ${how}`;
    progress?.answered(answeredBy);
    this.events.emit('call.answered', { callId, by: answeredBy });
    await this.store.write(callId, 'answered', async () => {
      await this.store.callAnswered(callId);
      await this.store.event(callId, 'call.answered', { by: answeredBy, ...decided });
    });
    if (answeredBy === 'machine' && brief.voicemailAction === 'hang-up') {
      await session.stopUnanswered();
      await leg.hangup().catch(() => undefined);
      await this.store.write(callId, 'machine', () => this.store.event(callId, 'voicemail.skipped', { reason: 'the campaign hangs up on answering machines' }));
      return end('voicemail', `${howAnswered}; hung up, as the campaign says`);
    }
    this.sessions.set(callId, session);
    let result: SessionResult;
    try {
      result = await session.run(answeredBy);
    } finally {
      this.sessions.delete(callId);
      await recorder?.close();
    }
    const outcome: DialOutcome = result.voicemailLeft || answeredBy === 'machine' ? 'voicemail' : result.endedBy === 'error' && !result.transcript.some((t) => t.speaker === 'caller') ? 'failed' : 'completed';
    const detail = `${describeResult(result)}; ${howAnswered}`;
    await this.store.write(callId, 'summary', () =>
      this.store.voiceSummary({
        call_id: callId,
        agent_kind: agent.kind,
        agent_name: agent.name,
        stt: engines.stt,
        llm: engines.llm,
        tts: engines.tts,
        vad: engines.vad,
        telephony: engines.telephony,
        answered_by: answeredBy,
        ended_by: result.endedBy,
        end_reason: result.reason,
        detail,
        real_time_factor: result.stats.realTimeFactor,
        dropped_frames: result.stats.droppedFrames,
        underruns: result.stats.underruns,
        interruptions: result.stats.interruptions,
        voicemail_left: result.voicemailLeft ? 1 : 0,
      }),
    );
    const abandonment = abandonmentOf({ answeredBy, firstAudioMs: result.firstAudioMs, endedBy: result.endedBy, endReason: result.reason });
    await this.store.write(callId, 'answer timing', async () => {
      await this.store.answerTiming(callId, { firstAudioMs: result.firstAudioMs, abandoned: abandonment.counts ? abandonment.abandoned : null });
      if (abandonment.counts && abandonment.abandoned) await this.store.event(callId, 'call.abandoned', { why: abandonment.why, firstAudioMs: result.firstAudioMs });
    });
    this.logger.info({ callId, outcome, detail, turns: result.transcript.length, rtf: result.stats.realTimeFactor }, 'call ended');
    return end(outcome, detail, Math.round(result.durationMs));
  }

  private engineNames(agent: ConversationAgent) {
    return {
      stt: this.runtime.stt?.name ?? 'reference transcript (simulated calls only)',
      llm: agent.kind === 'llm' ? agent.name : null,
      tts: this.runtime.tts?.name ?? 'none',
      vad: this.runtime.vad.name,
      telephony: this.runtime.telephony.name,
    };
  }

  /** Whether and how this call is recorded (written as a call event); null when recording is unavailable. */
  private async recordingPolicy(callId: string, campaignId: string | null, contactId: string | null, phone: string, brief: CallBrief): Promise<RecordingPolicy | null> {
    const recordings = this.options.recordings;
    if (!recordings) return null;
    try {
      const policy = await recordings.policy({ campaignId, contactId, phoneE164: phone, disclosure: brief.disclosure !== false });
      await this.store.write(callId, 'recording policy', () => this.store.event(callId, 'recording.policy', policy));
      return policy;
    } catch (error) {
      this.logger.warn({ callId, err: error }, 'recording policy unavailable; the call is not recorded');
      return null;
    }
  }

  private hooks(callId: string, phone: string, redact: boolean, tier?: CallVoiceTier) {
    const mask = (text: string) => (redact ? redactText(text) : text);
    return {
      onRecordingConsent: (granted: boolean, answer: string) => {
        void this.store.write(callId, 'consent', () => this.store.event(callId, 'recording.consent', { granted, answer }));
      },
      onTurn: (said: Parameters<CallStore['turn']>[1]) => {
        // The tier that spoke an agent turn is recorded with it; a caller turn may earn the premium voice.
        const turn = tier && said.speaker === 'agent' ? { ...said, voiceTier: tier.tts.lastSpoken } : said;
        if (tier && said.speaker === 'caller') tier.callerSaid(said.text);
        void this.store.write(callId, 'turn', () => this.store.turn(callId, turn));
        this.events.emit('call.turn', { callId, seq: turn.seq, speaker: turn.speaker, text: turn.text, interrupted: turn.interrupted, startedAt: turn.startedAt, endedAt: turn.endedAt });
      },
      onLatency: (latency: Parameters<CallStore['latency']>[1]) => {
        void this.store.write(callId, 'latency', () => this.store.latency(callId, latency));
        const { turn, endpointMs, sttMs, llmFirstTokenMs, ttsFirstChunkMs, transportMs, totalMs, endpointReason, interruptDecisionMs } = latency;
        this.events.emit('call.latency', { callId, turn, endpointMs, sttMs, llmFirstTokenMs, ttsFirstChunkMs, transportMs, totalMs, endpointReason, interruptDecisionMs });
      },
      onDisposition: (original: AgentAction) => {
        const action = redact && 'note' in original && original.note ? { ...original, note: mask(original.note) } : redact && 'reason' in original && original.reason ? { ...original, reason: mask(original.reason) } : original;
        void this.store.write(callId, 'disposition', async () => {
          await this.store.event(callId, `disposition.${action.type}`, action);
          if (action.type === 'mark-dnc') await this.store.markDoNotCall(phone, action.reason ?? 'asked on the call', callId);
        });
        this.notify((o) => o.disposition?.(callId, action));
        if (action.type === 'transfer-to-human') this.events.emit('call.alert', { callId, kind: 'transfer-requested', message: `The caller asked for a person${action.reason ? `: ${action.reason}` : ''}` });
      },
      onIssue: (issue: { stage: string; message: string; fatal: boolean }) => {
        this.logger.warn({ callId, ...issue }, 'voice pipeline issue');
        void this.store.write(callId, 'issue', () => this.store.event(callId, 'engine.error', issue));
        this.events.emit('call.alert', { callId, kind: 'engine-error', message: `${issue.stage}: ${issue.message}` });
      },
      onBackchannel: (text: string) => {
        void this.store.write(callId, 'backchannel', () => this.store.event(callId, 'caller.backchannel', { text: mask(text) }));
      },
    };
  }

  private onAgentTrouble(callId: string, kind: string, message: string): void {
    this.logger.warn({ callId, kind, message }, 'language model trouble; scripted line used');
    void this.store.write(callId, 'llm', () => this.store.event(callId, `llm.${kind}`, { message }));
    this.events.emit('call.alert', { callId, kind: 'fallback', message });
  }

  /** Waits (bounded) for a machine verdict to be confirmed or refuted by what the line says next. */
  private confirmMachine(screening: MachineScreeningLeg, timeoutMs = 20_000): Promise<Confirmation> {
    const known = screening.confirmation;
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const offs: Array<() => void> = [];
      const done = (confirmation: Confirmation) => {
        clearTimeout(timer);
        for (const off of offs) off();
        resolve(confirmation);
      };
      const timer = setTimeout(() => done({ answeredBy: 'machine', atMs: -1, reason: `nothing refuted it within ${timeoutMs / 1000} s` }), timeoutMs);
      offs.push(screening.onConfirmation(done));
      offs.push(screening.onEvent((e) => (e.type === 'hangup' || e.type === 'failed' ? done({ answeredBy: 'machine', atMs: -1, reason: 'the line hung up first' }) : undefined)));
    });
  }

  private waitForAnswer(leg: CallLeg): Promise<Answer> {
    const timeoutMs = this.options.ringTimeoutMs ?? 45_000;
    return new Promise((resolve) => {
      let off = () => {};
      const timer = setTimeout(() => {
        off();
        void leg.hangup().catch(() => undefined);
        resolve({ answered: false, outcome: 'no-answer', detail: `not answered within ${Math.round(timeoutMs / 1000)} s` });
      }, timeoutMs);
      const settle = (answer: Answer) => {
        clearTimeout(timer);
        off();
        resolve(answer);
      };
      off = leg.onEvent((event: CallLegEvent) => {
        if (event.type === 'answered') settle({ answered: true, by: event.by });
        else if (event.type === 'busy') settle({ answered: false, outcome: 'busy', detail: 'line busy' });
        else if (event.type === 'no-answer') settle({ answered: false, outcome: 'no-answer', detail: 'rang out' });
        else if (event.type === 'failed') settle({ answered: false, outcome: 'failed', detail: event.reason });
        else if (event.type === 'invalid-number') settle({ answered: false, outcome: 'failed', detail: `invalid number: ${event.reason}` });
        else if (event.type === 'hangup') settle({ answered: false, outcome: 'no-answer', detail: `hung up before answering (${event.by})` });
      });
    });
  }

  /** Ends every live call (engine shutdown) and waits for them to be written. */
  async dispose(): Promise<void> {
    this.closed = true;
    const live = [...this.sessions.values()];
    for (const session of live) session.stop('engine shutting down');
    const deadline = Date.now() + 5_000;
    while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}
