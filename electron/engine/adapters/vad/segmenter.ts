import { ParleyError } from '../../../contracts';

export interface SegmenterOptions {
  /** Probability at or above which a frame counts as speech (Silero's usual 0.5). */
  startThreshold: number;
  /** Probability below which a frame counts as silence once speech has started (hysteresis). */
  endThreshold: number;
  /** Speech must last this long before a start is reported (drops clicks and short noises). */
  minSpeechMs: number;
  /** Silence must last this long before an end is reported. */
  minSilenceMs: number;
}

export const DEFAULT_SEGMENTER_OPTIONS: SegmenterOptions = {
  startThreshold: 0.5,
  endThreshold: 0.35,
  minSpeechMs: 250,
  minSilenceMs: 300,
};

export type SegmentEvent =
  | { type: 'speech-start'; atMs: number }
  | { type: 'speech-end'; atMs: number; startedAtMs: number; durationMs: number };

export function validateSegmenterOptions(options: SegmenterOptions): SegmenterOptions {
  const { startThreshold, endThreshold, minSpeechMs, minSilenceMs } = options;
  const problems: string[] = [];
  if (!(startThreshold > 0 && startThreshold < 1)) problems.push('startThreshold must be between 0 and 1');
  if (!(endThreshold > 0 && endThreshold <= startThreshold)) problems.push('endThreshold must be above 0 and at most startThreshold');
  if (!(minSpeechMs >= 0) || !(minSilenceMs >= 0)) problems.push('minSpeechMs and minSilenceMs must be 0 or more');
  if (problems.length > 0) throw new ParleyError('invalid_payload', `Bad VAD settings: ${problems.join('; ')}`);
  return options;
}

/**
 * Turns per-frame speech probabilities into speech start/end events: a start once speech has
 * lasted `minSpeechMs` (dated at its first frame), an end once silence has lasted `minSilenceMs`
 * (dated at the first silent frame). Pure and clock-free: time is frames x frame length.
 */
export class SpeechSegmenter {
  private options: SegmenterOptions;
  private elapsedMs = 0;
  private speaking = false;
  private candidateStartMs: number | undefined;
  private speechStartedAtMs = 0;
  private silenceStartedAtMs: number | undefined;

  constructor(
    private readonly frameMs: number,
    options: Partial<SegmenterOptions> = {},
  ) {
    if (!(frameMs > 0)) throw new ParleyError('invalid_payload', 'frameMs must be positive');
    this.options = validateSegmenterOptions({ ...DEFAULT_SEGMENTER_OPTIONS, ...options });
  }

  /** Swap thresholds mid-stream, e.g. stricter while the agent is talking. */
  setOptions(options: Partial<SegmenterOptions>): void {
    this.options = validateSegmenterOptions({ ...this.options, ...options });
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Feeds one frame's probability; returns the events it caused (zero or one). */
  push(probability: number): SegmentEvent[] {
    const frameStart = this.elapsedMs;
    this.elapsedMs += this.frameMs;
    const events: SegmentEvent[] = [];
    if (!this.speaking) {
      if (probability >= this.options.startThreshold) {
        this.candidateStartMs ??= frameStart;
        if (this.elapsedMs - this.candidateStartMs >= this.options.minSpeechMs) {
          this.speaking = true;
          this.speechStartedAtMs = this.candidateStartMs;
          this.candidateStartMs = undefined;
          this.silenceStartedAtMs = undefined;
          events.push({ type: 'speech-start', atMs: this.speechStartedAtMs });
        }
      } else {
        this.candidateStartMs = undefined;
      }
      return events;
    }
    if (probability < this.options.endThreshold) {
      this.silenceStartedAtMs ??= frameStart;
      if (this.elapsedMs - this.silenceStartedAtMs >= this.options.minSilenceMs) {
        const end = this.silenceStartedAtMs;
        this.speaking = false;
        this.silenceStartedAtMs = undefined;
        events.push({ type: 'speech-end', atMs: end, startedAtMs: this.speechStartedAtMs, durationMs: end - this.speechStartedAtMs });
      }
    } else {
      this.silenceStartedAtMs = undefined;
    }
    return events;
  }

  /** Closes an utterance still open at the end of the audio. */
  flush(): SegmentEvent[] {
    if (!this.speaking) return [];
    const end = this.silenceStartedAtMs ?? this.elapsedMs;
    this.speaking = false;
    this.silenceStartedAtMs = undefined;
    return [{ type: 'speech-end', atMs: end, startedAtMs: this.speechStartedAtMs, durationMs: end - this.speechStartedAtMs }];
  }

  reset(): void {
    this.elapsedMs = 0;
    this.speaking = false;
    this.candidateStartMs = undefined;
    this.silenceStartedAtMs = undefined;
  }
}
