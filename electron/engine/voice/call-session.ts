import { redactText } from '../domain/redaction';
import { MODEL_SAMPLE_RATE } from '../ports/audio';
import type { CallLeg, CallLegEvent } from '../ports/telephony';
import { AgentProcessor } from './agent-processor';
import type { AgentAction, ConversationAgent, WhisperOutcome } from './agents/types';
import { FrameChunker, frameSamples } from '../audio/pcm';
import { Resampler } from '../audio/resample';
import type { Frame } from './frames';
import { AgentWordsObserver, AudioFanout, LatencyObserver, TranscriptObserver } from './observers';
import { OutputTransport } from './output-transport';
import type { PlayoutClock } from './playout-clock';
import { Pipeline, type FrameObserver } from './processor';
import { TtsProcessor } from './tts-processor';
import { UserTurnProcessor } from './user-turn-processor';
import { VadProcessor } from './vad-processor';
import { RecordingGate } from './recording-gate';
import { VoicemailWatch } from './voicemail-watch';
import {
  DEFAULT_SESSION,
  type CallEngines,
  type SessionActivity,
  type SessionEnd,
  type SessionHooks,
  type SessionIssue,
  type SessionOptions,
  type SessionRecorder,
  type SessionResult,
} from './session-types';

export * from './session-types';

/** Frames the session reacts to once, however many processors pass them on. */
const ONCE = new Set<Frame['type']>(['error', 'backchannel', 'interruption']);

/**
 * One call: owns the pipeline (VAD -> turn-taking -> agent -> TTS -> line) on an answered leg and
 * runs it until someone hangs up. Never throws for call trouble: failures end the call politely
 * and come back in the result.
 */
export class CallSession {
  readonly recording = new AudioFanout();
  readonly supervisors = new AudioFanout();
  private readonly pipeline: Pipeline;
  private readonly vadProcessor: VadProcessor;
  private readonly turnProcessor: UserTurnProcessor;
  private readonly output: OutputTransport;
  private readonly tts: TtsProcessor;
  private readonly agentProcessor: AgentProcessor;
  private readonly transcript: TranscriptObserver;
  private readonly latency: LatencyObserver;
  private readonly inboundResampler: Resampler;
  private readonly inboundChunker = new FrameChunker(frameSamples(MODEL_SAMPLE_RATE));
  private readonly unsubscribe: Array<() => void> = [];
  private readonly dispositions: AgentAction[] = [];
  private readonly issues: SessionIssue[] = [];
  private inboundFrames = 0;
  private droppedFrames = 0;
  private backlog = 0;
  private resampleMs = 0;
  private answeredBy: 'human' | 'machine' | 'unknown' = 'unknown';
  private voicemailLeft = false;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private silencePrompts = 0;
  private agentBusy = false;
  private maxTimer: ReturnType<typeof setTimeout> | undefined;
  private voicemail: VoicemailWatch | undefined;
  private beepHeard = false;
  private startedAt = 0;
  /** Answer -> the agent's first audio on the line (the abandonment clock); null until it spoke. */
  private firstAudioMs: number | null = null;
  private finished: ((value: { endedBy: SessionEnd; reason: string }) => void) | undefined;
  private readonly ended: Promise<{ endedBy: SessionEnd; reason: string }>;
  private done = false;
  private readonly seen = new WeakSet<Frame>();
  private readonly activityListeners = new Set<(activity: SessionActivity) => void>();
  private supervisorFrames = 0;
  private readonly recordingGate = new RecordingGate();
  private inboundSamples = 0;
  /** A caller waiting for a person: silence is expected, no "are you still there?" and no hang-up for it. */
  private waiting = false;

  constructor(
    private readonly leg: CallLeg,
    engines: CallEngines,
    private readonly agent: ConversationAgent,
    clock: PlayoutClock,
    private readonly options: SessionOptions = DEFAULT_SESSION,
    private readonly hooks: SessionHooks = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.ended = new Promise((resolve) => (this.finished = resolve));
    this.inboundResampler = new Resampler(leg.sampleRate, MODEL_SAMPLE_RATE);
    this.vadProcessor = new VadProcessor(engines.vad, options.vad, now);
    this.turnProcessor = new UserTurnProcessor(engines.stt, options.turns, now);
    const tts = new TtsProcessor(engines.tts, engines.fallbackTts, leg.sampleRate, now);
    tts.voice = options.voice;
    tts.language = options.language;
    this.tts = tts;
    this.output = new OutputTransport(leg, clock, (frame) => this.tapOutbound(frame), 2, now);
    this.transcript = new TranscriptObserver((turn) => this.hooks.onTurn?.(turn), undefined, options.redact ? redactText : undefined);
    this.latency = new LatencyObserver((record) => this.hooks.onLatency?.(record));
    const control: FrameObserver = { onFrame: (frame, from) => this.onFrame(frame, from) };
    this.agentProcessor = new AgentProcessor(agent, leg.sampleRate, now);
    this.pipeline = new Pipeline([this.vadProcessor, this.turnProcessor, this.agentProcessor, tts, this.output], {
      observers: [this.transcript, this.latency, new AgentWordsObserver((utterance, text) => this.activity({ type: 'agent-words', utterance, text })), control],
      onError: (processor, error) => this.issue({ stage: processor, message: (error as Error)?.message ?? String(error), fatal: false }),
    });
    // Subscribe before the line can deliver its first frame: stream time counts from it.
    this.unsubscribe.push(leg.onAudio((frame) => this.onInbound(frame)));
    this.unsubscribe.push(leg.onEvent((event) => this.onLegEvent(event)));
  }

  /**
   * Records this call: the recorder starts once the disclosure has been heard whole (and, when it
   * asks for consent, after the caller's clear yes); a machine's greeting is never recorded.
   */
  attachRecorder(recorder: SessionRecorder): void {
    this.recordingGate.attach(recorder);
  }

  /** Runs the call on an answered leg until it ends. */
  async run(answeredBy: 'human' | 'machine' | 'unknown'): Promise<SessionResult> {
    this.startedAt = this.now();
    this.answeredBy = answeredBy;
    if (answeredBy === 'machine') this.recordingGate.shut();
    this.pipeline.queueFrame({ kind: 'system', type: 'start' });
    this.maxTimer = setTimeout(() => this.politeEnd('timeout', 'The call reached its maximum length'), this.options.maxDurationMs);
    if (answeredBy === 'machine') {
      this.agentProcessor.answerTurns = false;
      // Wait for the greeting and the beep, then leave the message.
      this.voicemail = new VoicemailWatch(() => {
        this.voicemailLeft = true;
        this.say('voicemail');
        this.pipeline.queueFrame({ kind: 'control', type: 'agent-action', action: { type: 'end-call', reason: 'voicemail left' } });
      });
      if (this.beepHeard) this.voicemail.greetingOver();
    } else {
      this.say('opening');
    }
    const { endedBy, reason } = await this.ended;
    return this.close(endedBy, reason);
  }

  /** The machine's beep was heard: a voicemail starts now rather than after the greeting's silence. */
  greetingOver(): void {
    if (this.done) return;
    this.beepHeard = true;
    this.voicemail?.greetingOver();
  }

  /** Releases the session of a call that was never answered. */
  async stopUnanswered(): Promise<void> {
    this.done = true;
    for (const off of this.unsubscribe.splice(0)) off();
    await this.pipeline.dispose();
    await this.agent.dispose().catch(() => undefined);
  }

  /** Ends the call from outside (engine shutdown, a supervisor hanging up). */
  stop(reason: string): void {
    this.finish('carrier', reason);
  }

  // ---- supervisor hooks (electron/engine/supervision) ----

  /** A supervisor hangs up on the caller. */
  hangUp(reason: string): void {
    this.finish('supervisor', reason);
  }

  /** Activity for the live console; returns unsubscribe. */
  onActivity(listener: (activity: SessionActivity) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /**
   * A supervisor has the floor: the agent stops talking within a frame, answers no caller turn and
   * prompts no silence until released. Caller speech is still heard and transcribed.
   */
  holdAgent(held: boolean): void {
    if (this.done || this.agentProcessor.held === held) return;
    this.agentProcessor.held = held;
    if (held) {
      this.clearSilenceTimer();
      this.pipeline.queueFrame({ kind: 'system', type: 'interruption', at: this.now() });
    }
  }

  /** Speaking rate of the agent's voice from its next sentence on (1 = the voice's normal). */
  setSpeakingRate(rate: number): void {
    this.tts.rate = Math.max(0.5, Math.min(2, rate));
  }

  /** Guidance for the agent's next reply: what the agent will do with it, or why it refused it. */
  whisper(text: string): WhisperOutcome {
    if (this.done) return { accepted: false, detail: 'The call has ended' };
    if (!this.agent.guide) return { accepted: false, detail: 'This agent cannot take guidance; take over instead' };
    return this.agent.guide(text);
  }

  /** Parley's own guidance for the agent's next reply (not a supervisor's); false when it cannot take it. */
  steerAgent(text: string): boolean {
    if (this.done || !this.agent.steer) return false;
    this.agent.steer(text);
    return true;
  }

  /** The disclosure when the caller has not heard all of it yet (a person who takes over reads it). */
  get disclosureOwed(): string | null {
    return this.agent.disclosureOwed ?? null;
  }

  /** Gives the floor back to the agent, which speaks first, knowing what was said meanwhile. */
  resumeAgent(summary: string): void {
    if (this.done) return;
    this.agentProcessor.held = false;
    this.say('resume', summary);
  }

  /** The caller waits for a person: the agent keeps them company and silence never ends the call. */
  awaitPerson(): void {
    if (this.done) return;
    this.waiting = true;
    this.clearSilenceTimer();
    this.agent.awaitPerson?.(true);
  }

  /** The wait is over (someone accepted, or nobody did): silence counts again. */
  stopWaiting(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.agent.awaitPerson?.(false);
  }

  /** A short line of Parley's own while the caller holds; skipped while the agent or a person speaks. */
  holdLine(text: string, evenAfterSpeech = false): boolean {
    if (this.done || (this.agentBusy && !evenAfterSpeech) || this.agentProcessor.held) return false;
    this.say('notice', text);
    return true;
  }

  /** Nobody accepted in time: the agent comes back, apologises and asks when to call back. */
  personUnavailable(): void {
    if (this.done) return;
    this.waiting = false;
    this.agentBusy = true;
    this.pipeline.queueFrame({ kind: 'control', type: 'agent-say', source: 'unavailable' });
  }

  /** One frame of a supervisor's voice (at the line's rate) onto the line, and into the recording. */
  sendSupervisorAudio(frame: Int16Array): void {
    if (this.done) return;
    this.leg.sendAudio(frame);
    this.supervisorFrames++;
    this.recordingGate.open?.outbound(frame, this.leg.sampleRate);
    this.recording.emit(frame, 'outbound', this.leg.sampleRate, 'supervisor');
    this.supervisors.emit(frame, 'outbound', this.leg.sampleRate, 'supervisor');
  }

  /** Frames sent to the line so far, by whom (the console checks the AI is silent during a takeover). */
  get sentFrames(): { agent: number; supervisor: number } {
    return { agent: this.output.stats.sentFrames, supervisor: this.supervisorFrames };
  }

  private activity(activity: SessionActivity): void {
    for (const listener of this.activityListeners) {
      try {
        listener(activity);
      } catch {
        // the console's trouble, not the call's
      }
    }
  }

  private say(source: 'opening' | 'voicemail' | 'notice' | 'resume' | 'unavailable', text?: string): void {
    this.agentBusy = true;
    this.pipeline.queueFrame({ kind: 'control', type: 'agent-say', source, text });
  }

  private onInbound(frame: Int16Array): void {
    if (this.done) return;
    const receivedAt = this.now();
    const streamMs = (this.inboundSamples * 1000) / this.leg.sampleRate;
    this.inboundSamples += frame.length;
    this.recordingGate.open?.inbound(frame, this.leg.sampleRate, streamMs);
    this.recording.emit(frame, 'inbound', this.leg.sampleRate);
    this.supervisors.emit(frame, 'inbound', this.leg.sampleRate);
    const started = this.now();
    const frames = this.inboundChunker.push(this.inboundResampler.process(frame));
    this.resampleMs += this.now() - started;
    for (const samples of frames) {
      const streamMs = this.inboundFrames * 20;
      this.inboundFrames++;
      if (this.backlog >= this.options.maxInputBacklogFrames) {
        this.droppedFrames++;
        continue;
      }
      this.backlog++;
      this.pipeline.queueFrame({ kind: 'system', type: 'input-audio', samples, streamMs, receivedAt });
    }
  }

  private tapOutbound(frame: Int16Array): void {
    this.recordingGate.open?.outbound(frame, this.leg.sampleRate);
    this.recording.emit(frame, 'outbound', this.leg.sampleRate);
    this.supervisors.emit(frame, 'outbound', this.leg.sampleRate);
  }

  private onFrame(frame: Frame, from: string): void {
    // A frame passing several processors is seen at each push; act on it once.
    if (ONCE.has(frame.type)) {
      if (this.seen.has(frame)) return;
      this.seen.add(frame);
    }
    switch (frame.type) {
      case 'input-audio':
        if (from === 'vad') this.backlog--;
        this.voicemail?.onAudio(frame.speechProbability ?? 0, frame.streamMs);
        return;
      case 'vad-speech-start':
        if (from === 'vad') {
          this.recordingGate.open?.callerSpeech('start', frame.streamMs);
          this.clearSilenceTimer();
          this.activity({ type: 'caller-speaking', speaking: true });
        }
        return;
      case 'vad-speech-stop':
        if (from === 'vad') {
          this.recordingGate.open?.callerSpeech('stop', frame.streamMs);
          this.activity({ type: 'caller-speaking', speaking: false });
          // Speech that never becomes a turn (unintelligible, a failed recognizer) must not leave the
          // line silent forever: the silence prompt counts from here unless the agent answers.
          if (!this.agentBusy) this.armSilenceTimer();
        }
        return;
      case 'interim-transcript':
        if (from === 'turns') this.activity({ type: 'interim', text: frame.text });
        return;
      case 'user-turn':
        if (from === 'turns') this.recordingGate.open?.callerText(frame.text);
        this.silencePrompts = 0;
        this.agentBusy = true;
        if (from === 'turns' && !this.agentProcessor.held) this.activity({ type: 'agent', state: 'thinking' });
        return;
      case 'bot-started-speaking':
        this.clearSilenceTimer();
        if (from === 'output') {
          this.firstAudioMs ??= Math.round(this.now() - this.startedAt);
          this.activity({ type: 'agent', state: 'speaking' });
        }
        return;
      case 'bot-stopped-speaking':
        if (from === 'output') {
          // The agent learns what was heard when the handle settles; the disclosure is judged after it.
          void frame.handle.done.then(() => !this.done && this.recordingGate.tryOpen(Boolean(this.agent.disclosureOwed)));
          this.agentBusy = false;
          this.armSilenceTimer();
          this.activity({ type: 'agent', state: 'listening' });
        }
        return;
      case 'backchannel':
        this.recordingGate.open?.callerText(frame.text);
        this.hooks.onBackchannel?.(frame.text);
        return;
      case 'interruption':
        this.hooks.onInterruption?.(frame.at);
        return;
      case 'agent-action':
        if (frame.action.type === 'recording-consent') {
          if (from === 'agent-decision') {
            this.hooks.onRecordingConsent?.(frame.action.granted, frame.action.answer);
            this.recordingGate.consent(frame.action.granted, frame.action.answer, Boolean(this.agent.disclosureOwed));
          }
          return;
        }
        if (from === 'agent-decision' && frame.action.type !== 'end-call') {
          this.dispositions.push(frame.action);
          this.hooks.onDisposition?.(frame.action);
        }
        if (from === 'output' && frame.action.type === 'end-call') this.finish('agent', frame.action.reason);
        return;
      case 'error':
        this.issue({ stage: frame.stage, message: frame.message, fatal: frame.fatal });
        return;
      default:
        return;
    }
  }

  private issue(issue: SessionIssue): void {
    this.issues.push(issue);
    this.hooks.onIssue?.(issue);
    if (!issue.fatal) return;
    if (issue.stage === 'tts') this.finish('error', issue.message); // no voice left to say goodbye with
    else this.politeEnd('error', issue.message);
  }

  /** Says a short goodbye, then hangs up (bounded, in case even that cannot play). */
  private politeEnd(endedBy: SessionEnd, reason: string): void {
    if (this.done) return;
    this.pipeline.queueFrame({ kind: 'system', type: 'interruption', at: this.now() });
    this.say('notice', "I'm sorry, I have to end the call now. We will call you back. Goodbye.");
    this.pipeline.queueFrame({ kind: 'control', type: 'agent-action', action: { type: 'end-call', reason } });
    setTimeout(() => this.finish(endedBy, reason), 8_000).unref?.();
  }

  private armSilenceTimer(): void {
    this.clearSilenceTimer();
    if (this.done || this.answeredBy === 'machine') return;
    this.silenceTimer = setTimeout(() => {
      if (this.agentBusy || this.done || this.agentProcessor.held || this.waiting) return;
      this.silencePrompts++;
      if (this.silencePrompts === 1) this.say('notice', 'Are you still there?');
      else {
        this.say('notice', "I'll let you go. Thank you, goodbye.");
        this.pipeline.queueFrame({ kind: 'control', type: 'agent-action', action: { type: 'end-call', reason: 'no response' } });
      }
    }, this.options.silenceTimeoutMs);
  }

  private clearSilenceTimer(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private onLegEvent(event: CallLegEvent): void {
    if (event.type === 'hangup') {
      // The abandonment rule counts this phrase (domain/abandonment.ts): a caller who gave up on the wait.
      const gaveUp = this.waiting && event.by === 'caller';
      this.finish(event.by === 'agent' ? 'agent' : event.by, gaveUp ? 'caller hung up waiting for a person' : `hung up by the ${event.by}`);
    }
    else if (event.type === 'failed') this.finish('carrier', event.reason);
    else if (event.type === 'dtmf') this.turnProcessor.keypad(event.digits);
  }

  private finish(endedBy: SessionEnd, reason: string): void {
    if (this.done) return;
    this.done = true;
    this.finished?.({ endedBy, reason });
  }

  private async close(endedBy: SessionEnd, reason: string): Promise<SessionResult> {
    this.clearSilenceTimer();
    if (this.maxTimer) clearTimeout(this.maxTimer);
    for (const off of this.unsubscribe.splice(0)) off();
    this.pipeline.queueFrame({ kind: 'system', type: 'cancel', reason });
    await this.pipeline.dispose();
    if (endedBy !== 'caller' && endedBy !== 'carrier') await this.leg.hangup().catch(() => undefined);
    await this.agent.dispose().catch(() => undefined);
    const audioMs = this.inboundFrames * 20;
    const busy = this.resampleMs + this.vadProcessor.busyMs + this.turnProcessor.busyMs;
    return {
      endedBy,
      reason,
      answeredBy: this.answeredBy,
      voicemailLeft: this.voicemailLeft,
      dispositions: this.dispositions,
      transcript: this.transcript.turns,
      latencies: this.latency.records,
      issues: this.issues,
      stats: {
        inboundFrames: this.inboundFrames,
        droppedFrames: this.droppedFrames,
        realTimeFactor: audioMs > 0 ? busy / audioMs : 0,
        underruns: this.output.stats.underruns,
        interruptions: this.output.stats.interruptions,
        clearedFrames: this.output.stats.clearedFrames,
        agentFramesSent: this.output.stats.sentFrames,
      },
      durationMs: this.now() - this.startedAt,
      firstAudioMs: this.firstAudioMs,
    };
  }
}
