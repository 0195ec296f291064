import type { VadStream, VoiceActivityDetector } from '../ports/speech';
import { MODEL_SAMPLE_RATE } from '../ports/audio';
import type { Direction, Frame } from './frames';
import { rms } from '../audio/pcm';
import { FrameProcessor } from './processor';

/** About -66 dBFS: below any line's noise floor, so below any speech. */
const SILENCE_RMS = 0.0005;

export interface VadOptions {
  /** Probability at or above which a window counts as speech. */
  threshold: number;
  /** Below this, a window counts as silence once speech has started (hysteresis). */
  negativeThreshold: number;
  /** Speech must last this long before it counts as started (drops clicks and coughs). */
  minSpeechMs: number;
  /** Silence must last this long before speech counts as stopped. */
  minSilenceMs: number;
}

export const DEFAULT_VAD: VadOptions = { threshold: 0.5, negativeThreshold: 0.35, minSpeechMs: 90, minSilenceMs: 250 };

/**
 * Runs the shared VAD model over the caller's 16 kHz audio in the window size the model wants,
 * and turns probabilities into speech start/stop frames with thresholds and minimum durations.
 */
export class VadProcessor extends FrameProcessor {
  private readonly stream: VadStream;
  private readonly window: Int16Array;
  private filled = 0;
  private windowStartMs = 0;
  private speaking = false;
  private speechRunMs = 0;
  private speechRunStartMs = 0;
  private silenceRunMs = 0;
  private lastSpeechEndMs = 0;
  private lastSpeechEndAt = 0;
  private lastProbability = 0;
  private failures = 0;
  /** Windows were skipped as digital silence since the model last ran. */
  private skipped = false;
  /** Milliseconds spent in the model, for the real-time factor. */
  busyMs = 0;

  constructor(
    vad: VoiceActivityDetector,
    private readonly options: VadOptions = DEFAULT_VAD,
    private readonly now: () => number = () => performance.now(),
  ) {
    super('vad');
    this.stream = vad.createStream();
    this.window = new Int16Array(vad.frameSamples);
  }

  protected override async process(frame: Frame, direction: Direction): Promise<void> {
    if (frame.type !== 'input-audio' || direction !== 'downstream') {
      this.push(frame, direction);
      return;
    }
    const windowMs = (this.window.length * 1000) / MODEL_SAMPLE_RATE;
    const events: Frame[] = [];
    let offset = 0;
    while (offset < frame.samples.length) {
      if (this.filled === 0) this.windowStartMs = frame.streamMs + (offset * 1000) / MODEL_SAMPLE_RATE;
      const take = Math.min(this.window.length - this.filled, frame.samples.length - offset);
      this.window.set(frame.samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled < this.window.length) break;
      this.filled = 0;
      const probability = await this.infer();
      this.lastProbability = probability;
      this.step(probability, this.windowStartMs, windowMs, frame.receivedAt, events);
    }
    this.push({ ...frame, speechProbability: this.lastProbability });
    for (const event of events) this.push(event);
  }

  private async infer(): Promise<number> {
    // Digital silence (a quiet line, G.711's zero) cannot be speech: skip the model. On a call the
    // caller is silent most of the time the agent talks, so this saves much of the VAD's CPU.
    if (rms(this.window) < SILENCE_RMS) {
      this.skipped = true;
      return 0;
    }
    const started = this.now();
    try {
      // After skipped silence, show the model one silent window first: its state then knows the
      // line was quiet, as it would had it seen every window (from a blank state it answers weakly
      // to the first 100 ms of speech, enough to miss a short "uh-huh").
      if (this.skipped) {
        this.skipped = false;
        await this.stream.process(new Int16Array(this.window.length));
      }
      return await this.stream.process(this.window);
    } catch (error) {
      // One bad window must not end the call; a model that keeps failing does.
      this.failures++;
      if (this.failures === 1 || this.failures === 50) {
        this.push({ kind: 'system', type: 'error', stage: 'vad', message: `Voice activity detection failed: ${(error as Error).message}`, fatal: this.failures >= 50 }, 'upstream');
      }
      return 0;
    } finally {
      this.busyMs += this.now() - started;
    }
  }

  private step(p: number, startMs: number, windowMs: number, receivedAt: number, events: Frame[]): void {
    const o = this.options;
    if (!this.speaking) {
      if (p >= o.threshold) {
        if (this.speechRunMs === 0) this.speechRunStartMs = startMs;
        this.speechRunMs += windowMs;
        this.lastSpeechEndMs = startMs + windowMs;
        this.lastSpeechEndAt = receivedAt;
        if (this.speechRunMs >= o.minSpeechMs) {
          this.speaking = true;
          this.silenceRunMs = 0;
          events.push({ kind: 'system', type: 'vad-speech-start', streamMs: this.speechRunStartMs, at: receivedAt });
        }
      } else {
        this.speechRunMs = 0;
      }
      return;
    }
    if (p >= o.negativeThreshold) {
      this.silenceRunMs = 0;
      this.lastSpeechEndMs = startMs + windowMs;
      this.lastSpeechEndAt = receivedAt;
      return;
    }
    this.silenceRunMs += windowMs;
    if (this.silenceRunMs >= o.minSilenceMs) {
      this.speaking = false;
      this.speechRunMs = 0;
      events.push({ kind: 'system', type: 'vad-speech-stop', streamMs: this.lastSpeechEndMs, at: this.lastSpeechEndAt });
    }
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }
}
