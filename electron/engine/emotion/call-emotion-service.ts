import type { EmotionSettings, EngineEvent } from '../../contracts';
import { DEFAULT_EMOTION_SETTINGS } from '../../contracts/emotion';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Store } from '../storage/database';
import { resample } from '../audio/resample';
import { CallEmotionMonitor } from './call-emotion-monitor';
import type { AgentGuidance } from './frustration';
import type { TextEmotionClassifier } from './text-classifiers';

/** What the service needs of a running call: its inbound audio (the voice pipeline's recording fan-out). */
export interface CallAudioSource {
  session(callId: string):
    | {
        recording: { add(tap: (frame: Int16Array, direction: 'inbound' | 'outbound', sampleRate: number) => void): () => void };
        /** Parley's guidance for the agent's next reply; false when the agent cannot take it (voice pipelines that have it). */
        steerAgent?(text: string): boolean;
        /** Agent's speaking rate from its next sentence on. */
        setSpeakingRate?(rate: number): void;
      }
    | undefined;
}

export interface CallEmotionServiceDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** The campaign's emotion settings (defaults for calls without a campaign). */
  settingsFor(campaignId: string | null): Promise<EmotionSettings>;
  audio?: CallAudioSource;
  /** Another text model than the lexicon (an installed LLM); called once per call. */
  classifier?: () => TextEmotionClassifier | undefined;
  /** Receives the agent guidance when the frustration alert fires. */
  onGuidance?(callId: string, guidance: AgentGuidance): void;
}

/** Caller audio kept between two caller turns; older audio is dropped (a turn is never this long). */
const MAX_BUFFER_MS = 30_000;
const ATTACH_WAIT_MS = 2_000;
const ATTACH_RETRY_MS = 10;
const PROSODY_RATE = 8_000;

class InboundAudio {
  private frames: Int16Array[] = [];
  private samples = 0;
  sampleRate = 0;

  push(frame: Int16Array, sampleRate: number): void {
    if (sampleRate !== this.sampleRate) this.clear();
    this.sampleRate = sampleRate;
    this.frames.push(frame);
    this.samples += frame.length;
    const max = (MAX_BUFFER_MS / 1000) * sampleRate;
    while (this.samples - this.frames[0]!.length > max) this.samples -= this.frames.shift()!.length;
  }

  /** Everything since the last take, as one buffer. */
  take(): Int16Array {
    const out = new Int16Array(this.samples);
    let offset = 0;
    for (const frame of this.frames) {
      out.set(frame, offset);
      offset += frame.length;
    }
    this.clear();
    return out;
  }

  private clear(): void {
    this.frames = [];
    this.samples = 0;
  }
}

interface LiveCall {
  agent: 'llm' | 'scripted' | undefined;
  monitor: Promise<CallEmotionMonitor>;
  /** Readings in flight, in turn order; the call's end waits for them. */
  reads: Promise<void>;
  audio: InboundAudio;
  detach?: () => void;
}

/**
 * Reads the emotion of every caller turn of every live call, from the engine's call events and the
 * call's inbound audio: one CallEmotionMonitor per call (stored per turn, `call.emotion` and
 * `call.frustration` events for the console). Stands beside the voice pipeline; it never slows it.
 */
export class CallEmotionService {
  private readonly calls = new Map<string, LiveCall>();
  private readonly ending = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: CallEmotionServiceDeps) {}

  start(): void {
    this.unsubscribe ??= this.deps.events.subscribe((event) => this.onEvent(event));
  }

  private onEvent(event: EngineEvent): void {
    switch (event.name) {
      case 'call.started':
        this.begin(event.payload.callId, event.payload.campaignId).agent = event.payload.agent;
        return;
      case 'call.answered':
        this.attachWhenRunning(event.payload.callId);
        return;
      case 'call.turn':
        if (event.payload.speaker === 'caller') this.read(event.payload.callId, event.payload.seq, event.payload.text);
        return;
      case 'call.ended':
        void this.end(event.payload.callId);
        return;
      default:
        return;
    }
  }

  private begin(callId: string, campaignId: string | null): LiveCall {
    const existing = this.calls.get(callId);
    if (existing) return existing;
    const monitor = this.deps
      .settingsFor(campaignId)
      .catch((error: unknown) => {
        this.deps.logger.warn({ err: error, callId, campaignId }, 'emotion settings unavailable; using defaults');
        return DEFAULT_EMOTION_SETTINGS;
      })
      .then((settings) =>
        CallEmotionMonitor.forEngine(this.deps, { callId, campaignId, settings, classifier: this.deps.classifier?.() }),
      );
    const call: LiveCall = { agent: undefined, monitor, reads: Promise.resolve(), audio: new InboundAudio() };
    this.calls.set(callId, call);
    return call;
  }

  /** The launcher registers the session just after announcing the answer: look for it briefly. */
  private attachWhenRunning(callId: string, deadline = this.deps.clock.now() + ATTACH_WAIT_MS): void {
    if (this.attachAudio(callId) || !this.calls.has(callId) || this.deps.clock.now() > deadline) return;
    setTimeout(() => this.attachWhenRunning(callId, deadline), ATTACH_RETRY_MS).unref?.();
  }

  private attachAudio(callId: string): boolean {
    const call = this.calls.get(callId);
    const session = this.deps.audio?.session(callId);
    if (!call || call.detach) return Boolean(call?.detach);
    if (!session) return false;
    call.detach = session.recording.add((frame, direction, sampleRate) => {
      if (direction === 'inbound') call.audio.push(frame, sampleRate);
    });
    return true;
  }

  private read(callId: string, seq: number, text: string): void {
    const call = this.calls.get(callId) ?? this.begin(callId, null);
    if (!call.detach) this.attachAudio(callId);
    // The audio is cut now, when the turn ends; the reading itself waits its turn.
    const taken = call.audio.take();
    call.reads = call.reads.then(() => this.readTurn(call, callId, seq, text, taken));
  }

  private async readTurn(call: LiveCall, callId: string, seq: number, text: string, taken: Int16Array): Promise<void> {
    try {
      const monitor = await call.monitor;
      // Prosody runs on the engine's thread: let the pipeline's queued audio go first, and read
      // telephone-band audio (8 kHz holds every voice pitch) so the work stays a few milliseconds.
      await new Promise((resolve) => setImmediate(resolve));
      const rate = call.audio.sampleRate;
      const audio = rate > PROSODY_RATE ? resample(taken, rate, PROSODY_RATE) : taken;
      const result = await monitor.observeCallerTurn({ seq, text, ...(audio.length > 0 ? { audio, sampleRate: Math.min(rate, PROSODY_RATE) } : {}) });
      if (result.guidance) {
        // The agent changes course on its next reply: an LLM takes the instruction, a script says the line.
        const text = call.agent === 'scripted' ? result.guidance.line : result.guidance.instruction;
        const session = this.deps.audio?.session(callId);
        const taken = session?.steerAgent?.(text) ?? false;
        if (result.guidance.speakingRate !== 1) session?.setSpeakingRate?.(result.guidance.speakingRate);
        this.deps.logger.info({ callId, seq, taken }, 'caller frustrated: agent told to acknowledge, slow down and offer a person');
        this.deps.onGuidance?.(callId, result.guidance);
      }
    } catch (error) {
      this.deps.logger.warn({ err: error, callId, seq }, 'emotion reading failed');
    }
  }

  private end(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) return this.ending.get(callId) ?? Promise.resolve();
    this.calls.delete(callId);
    call.detach?.();
    const done = call.reads
      .then(() => call.monitor)
      .then((monitor) => monitor.dispose())
      .catch((error: unknown) => this.deps.logger.warn({ err: error, callId }, 'emotion monitor did not close cleanly'))
      .finally(() => this.ending.delete(callId));
    this.ending.set(callId, done);
    return done;
  }

  /** Resolves once the readings of an ended call are all stored (post-call analysis waits for it). */
  async settled(callId: string): Promise<void> {
    await this.ending.get(callId);
  }

  async dispose(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await Promise.all([...this.calls.keys()].map((callId) => this.end(callId)));
  }
}
