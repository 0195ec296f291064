/**
 * Cheap per-frame speech activity for the first seconds of a call: frame level against a noise
 * floor that falls at once and rises slowly, so steady line noise is not mistaken for a voice.
 * Short gaps between words are bridged so an utterance is one run.
 */
export interface SpeechActivityOptions {
  /** A frame is voiced when it is this far above the noise floor... */
  aboveFloorDb: number;
  /** ...and at least this loud. */
  minDbfs: number;
  /** Voiced frames in a row that start speech (filters clicks). */
  onsetFrames: number;
  /** Silence shorter than this between words keeps the utterance going. */
  wordGapMs: number;
  /** How fast the floor may rise, dB per frame. */
  floorRiseDb: number;
}

export const DEFAULT_ACTIVITY: SpeechActivityOptions = {
  aboveFloorDb: 12,
  minDbfs: -48,
  onsetFrames: 2,
  wordGapMs: 300,
  floorRiseDb: 0.1,
};

export function frameDbfs(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i]! * frame[i]!;
  const rms = Math.sqrt(sum / Math.max(1, frame.length));
  return rms <= 0 ? -120 : 20 * Math.log10(rms / 32768);
}

export interface Utterance {
  startMs: number;
  /** End of its last voiced frame; grows while it lasts. */
  endMs: number;
}

export class SpeechActivity {
  readonly options: SpeechActivityOptions;
  /** Utterances so far, the last one possibly still going. */
  readonly utterances: Utterance[] = [];
  private floor: number | undefined;
  private voicedRun = 0;
  private speaking = false;
  private elapsedMs = 0;
  voicedMs = 0;

  constructor(
    options: Partial<SpeechActivityOptions> = {},
    private readonly frameMs = 20,
  ) {
    this.options = { ...DEFAULT_ACTIVITY, ...options };
  }

  get nowMs(): number {
    return this.elapsedMs;
  }

  /** True while an utterance is going on (including a gap shorter than the word gap). */
  get inUtterance(): boolean {
    return this.speaking;
  }

  /** Silence since the end of the last utterance (0 while one goes on or before any). */
  get silenceMs(): number {
    const last = this.utterances.at(-1);
    return last && !this.speaking ? this.elapsedMs - last.endMs : 0;
  }

  /** Feeds one frame. `exclude` marks a frame that is not voice (a tone), so it never counts as speech. */
  push(frame: Int16Array, exclude = false): void {
    const startMs = this.elapsedMs;
    this.elapsedMs += this.frameMs;
    const level = frameDbfs(frame);
    const o = this.options;
    const floor = this.floor ?? level;
    const voiced = !exclude && level >= o.minDbfs && level >= floor + o.aboveFloorDb;
    this.floor = level < floor ? level : Math.min(level, floor + o.floorRiseDb);
    if (voiced) {
      this.voicedRun++;
      this.voicedMs += this.frameMs;
      const current = this.utterances.at(-1);
      if (this.speaking && current) current.endMs = this.elapsedMs;
      else if (this.voicedRun >= o.onsetFrames) {
        this.speaking = true;
        this.utterances.push({ startMs: startMs - (o.onsetFrames - 1) * this.frameMs, endMs: this.elapsedMs });
      }
      return;
    }
    this.voicedRun = 0;
    const current = this.utterances.at(-1);
    if (this.speaking && current && this.elapsedMs - current.endMs >= o.wordGapMs) this.speaking = false;
  }
}
