import type { EmotionSettings, FrustrationAlert, TurnEmotion } from '../../contracts/emotion';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Store } from '../storage/database';
import { EmotionStore } from './emotion-store';
import { FrustrationTracker, type AgentGuidance } from './frustration';
import { EmotionTrack, fuseTurn } from './fusion';
import { measureProsody } from './prosody';
import { LexiconEmotionClassifier, type TextEmotionClassifier } from './text-classifiers';
import { CallerVoiceBaseline } from './voice-arousal';

export interface CallerTurn {
  /** The transcript turn's sequence number in the call. */
  seq: number;
  text: string;
  /** The caller's audio for this utterance (PCM16 mono), when the pipeline has it. */
  audio?: Int16Array;
  sampleRate?: number;
}

export interface EmotionTurnResult {
  reading: TurnEmotion;
  alert: FrustrationAlert | null;
  /** Set when the agent should change course (acknowledge, slow down, offer a human). */
  guidance: AgentGuidance | null;
}

export interface CallEmotionMonitorOptions {
  callId: string;
  campaignId: string | null;
  settings: EmotionSettings;
  classifier: TextEmotionClassifier;
  clock: Clock;
  /** Persists each reading; omitted in dry runs. */
  store?: EmotionStore;
  /** Receives the console events (the meter and the alert). */
  emit?: {
    emotion(reading: TurnEmotion): void;
    frustration(alert: FrustrationAlert): void;
  };
  /** Caller turns that define the caller's own calm voice. */
  baselineTurns?: number;
}

/**
 * Reads each caller turn of one call: text emotion, prosody against the caller's baseline, fusion,
 * the smoothed track and the frustration alert. One per call; a voice pipeline observer feeds it.
 */
export class CallEmotionMonitor {
  private readonly baseline: CallerVoiceBaseline;
  private readonly track = new EmotionTrack();
  private readonly frustration: FrustrationTracker;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  /**
   * A monitor wired to the engine: readings stored in `turn_emotions`, events on the engine's bus.
   * The lexicon model reads the words unless a classifier (an installed LLM) is given.
   */
  static forEngine(
    engine: { store: Store; events: EventBus; clock: Clock },
    call: { callId: string; campaignId: string | null; settings: EmotionSettings; classifier?: TextEmotionClassifier },
  ): CallEmotionMonitor {
    return new CallEmotionMonitor({
      ...call,
      classifier: call.classifier ?? new LexiconEmotionClassifier(),
      clock: engine.clock,
      store: new EmotionStore(engine.store.db),
      emit: {
        emotion: (reading) => engine.events.emit('call.emotion', reading),
        frustration: (alert) => engine.events.emit('call.frustration', alert),
      },
    });
  }

  constructor(private readonly options: CallEmotionMonitorOptions) {
    this.baseline = new CallerVoiceBaseline(options.baselineTurns ?? 2);
    this.frustration = new FrustrationTracker(options.settings);
  }

  /** Turns are read strictly in order even if the caller speaks again before a reading finishes. */
  observeCallerTurn(turn: CallerTurn): Promise<EmotionTurnResult> {
    if (this.disposed) return Promise.reject(new Error(`Emotion monitor of call ${this.options.callId} is disposed`));
    const next = this.queue.then(() => this.read(turn));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(turn: CallerTurn): Promise<EmotionTurnResult> {
    const { callId, campaignId, classifier, clock, store, emit } = this.options;
    const text = await classifier.classify(turn.text);
    const words = turn.text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    const voice =
      turn.audio && turn.audio.length > 0 && turn.sampleRate
        ? this.baseline.read(measureProsody(turn.audio, turn.sampleRate, words))
        : null;
    const fused = fuseTurn(text, voice);
    const smoothed = this.track.push(fused);
    const { cues: _cues, ...textReading } = text;
    const reading: TurnEmotion = {
      callId,
      seq: turn.seq,
      at: new Date(clock.now()).toISOString(),
      label: fused.label,
      confidence: round(fused.confidence),
      valence: round(fused.valence),
      arousal: round(fused.arousal),
      text: { ...textReading, confidence: round(text.confidence), valence: round(text.valence), arousal: round(text.arousal) },
      voice,
      smoothed: { label: smoothed.label, valence: round(smoothed.valence), arousal: round(smoothed.arousal), frustration: round(smoothed.frustration) },
    };
    await store?.save(reading, campaignId);
    emit?.emotion(reading);
    const fired = this.frustration.observe(reading, smoothed);
    if (fired) emit?.frustration(fired.alert);
    return { reading, alert: fired?.alert ?? null, guidance: fired?.guidance ?? null };
  }

  /** Waits for readings in flight; later turns are refused. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;
