import { dbfs } from '../audio/pcm';

export interface SpeechGateOptions {
  /** Speech must be this far above the noise floor. */
  marginDb: number;
  /** Quieter than this is never speech, whatever the floor. */
  minLevelDb: number;
  /** Frames above the threshold before speech starts (a click is not speech). */
  onsetFrames: number;
  /** Quiet this long ends speech (pauses between words do not). */
  hangoverMs: number;
  frameMs: number;
}

export const DEFAULT_SPEECH_GATE: SpeechGateOptions = { marginDb: 12, minLevelDb: -50, onsetFrames: 3, hangoverMs: 500, frameMs: 20 };

/**
 * Is the supervisor talking? A level detector with an adaptive noise floor, run on their microphone
 * frames: when they barge in, the AI yields while this says "speech". A headset microphone in an
 * office is clean enough for levels; Silero stays reserved for the caller's side.
 */
export class SpeechGate {
  private floor: number | undefined;
  private above = 0;
  private quietMs = 0;
  speaking = false;

  constructor(private readonly options: SpeechGateOptions = DEFAULT_SPEECH_GATE) {}

  /** Feeds one frame; returns 'start' or 'stop' on a change, else undefined. */
  process(frame: Int16Array): 'start' | 'stop' | undefined {
    const level = Math.max(-100, dbfs(frame));
    // The floor follows quiet stretches quickly and loud ones slowly (a sentence barely moves it).
    this.floor = this.floor === undefined ? Math.min(level, -60) : level < this.floor ? this.floor + (level - this.floor) * 0.3 : this.floor + (level - this.floor) * 0.005;
    const loud = level >= Math.max(this.options.minLevelDb, this.floor + this.options.marginDb);
    if (!this.speaking) {
      this.above = loud ? this.above + 1 : 0;
      if (this.above < this.options.onsetFrames) return undefined;
      this.speaking = true;
      this.quietMs = 0;
      return 'start';
    }
    this.quietMs = loud ? 0 : this.quietMs + this.options.frameMs;
    if (this.quietMs < this.options.hangoverMs) return undefined;
    this.speaking = false;
    this.above = 0;
    return 'stop';
  }
}
