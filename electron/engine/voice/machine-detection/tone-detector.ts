/**
 * Finds the answering machine's beep: a steady pure tone between 400 and 2000 Hz. A Goertzel bank
 * (one bin every 25 Hz) measures, per 20 ms frame, how much of the frame's energy sits in its
 * strongest bin; a tone is that share staying high at one frequency for a minimum duration. Speech
 * spreads its energy over many harmonics and glides, so it rarely passes both tests.
 */

export interface ToneDetectorOptions {
  minHz: number;
  maxHz: number;
  stepHz: number;
  /** Share of the frame's energy in one bin (1 for a pure tone on the bin). */
  minPurity: number;
  /** A frame quieter than this is not a tone. */
  minDbfs: number;
  /** A tone shorter than this is not a beep. */
  minDurationMs: number;
  /** Bins the tone may wander between frames. */
  maxDriftBins: number;
}

export const DEFAULT_TONE_OPTIONS: ToneDetectorOptions = {
  minHz: 400,
  maxHz: 2_000,
  stepHz: 25,
  minPurity: 0.6,
  minDbfs: -40,
  minDurationMs: 120,
  maxDriftBins: 1,
};

export interface Tone {
  hz: number;
  /** Stream time (ms from the first frame) of its first and last tonal frame's end. */
  startMs: number;
  endMs: number;
}

export interface FrameTone {
  hz: number;
  bin: number;
  purity: number;
}

/** The strongest bin of a frame and its share of the energy (one frame, no state). */
export class GoertzelBank {
  readonly frequencies: Float64Array;
  private readonly coefficients: Float64Array;

  constructor(
    readonly sampleRate: number,
    options: Pick<ToneDetectorOptions, 'minHz' | 'maxHz' | 'stepHz'> = DEFAULT_TONE_OPTIONS,
  ) {
    const top = Math.min(options.maxHz, sampleRate / 2 - options.stepHz);
    const count = Math.max(1, Math.floor((top - options.minHz) / options.stepHz) + 1);
    this.frequencies = new Float64Array(count);
    this.coefficients = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const hz = options.minHz + i * options.stepHz;
      this.frequencies[i] = hz;
      this.coefficients[i] = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
    }
  }

  /** The strongest bin and its purity, or undefined for a frame quieter than `minMeanEnergy` (the bank is skipped). */
  analyse(frame: Int16Array, minMeanEnergy = 0): (FrameTone & { energy: number }) | undefined {
    const n = frame.length;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += frame[i]! * frame[i]!;
    if (energy === 0 || n === 0 || energy / n < minMeanEnergy) return undefined;
    let best = 0;
    let bestPower = -1;
    for (let k = 0; k < this.coefficients.length; k++) {
      const c = this.coefficients[k]!;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const s0 = frame[i]! + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      const power = s1 * s1 + s2 * s2 - c * s1 * s2;
      if (power > bestPower) {
        bestPower = power;
        best = k;
      }
    }
    return { hz: this.frequencies[best]!, bin: best, purity: (2 * bestPower) / (n * energy), energy: energy / n };
  }
}

/** Follows frames and reports each tone once it has ended (the message starts after the beep). */
export class ToneDetector {
  readonly options: ToneDetectorOptions;
  private readonly bank: GoertzelBank;
  private readonly frameMs: number;
  private runStartMs: number | undefined;
  private runBin = -1;
  private runFrames = 0;
  private hzSum = 0;
  private misses = 0;
  private elapsedMs = 0;
  private readonly minEnergy: number;

  constructor(sampleRate: number, options: Partial<ToneDetectorOptions> = {}, frameMs = 20) {
    this.options = { ...DEFAULT_TONE_OPTIONS, ...options };
    this.minEnergy = (32768 * 10 ** (this.options.minDbfs / 20)) ** 2;
    this.bank = new GoertzelBank(sampleRate, this.options);
    this.frameMs = frameMs;
  }

  /** True while a tone long enough to be a beep is sounding. */
  get sounding(): boolean {
    return this.runFrames * this.frameMs >= this.options.minDurationMs && this.misses === 0;
  }

  /** Feeds one frame; returns the tone that has just ended, if any. */
  push(frame: Int16Array): Tone | undefined {
    const startMs = this.elapsedMs;
    this.elapsedMs += this.frameMs;
    const found = this.bank.analyse(frame, this.minEnergy);
    const tonal = found !== undefined && found.purity >= this.options.minPurity;
    if (tonal && this.runFrames > 0 && Math.abs(found.bin - this.runBin) <= this.options.maxDriftBins) {
      this.runFrames++;
      this.hzSum += found.hz;
      this.runBin = found.bin;
      this.misses = 0;
      return undefined;
    }
    // One stray frame (the tone starting or stopping mid-frame) does not end a run.
    if (!tonal && this.runFrames > 0 && this.misses === 0) {
      this.misses = 1;
      return undefined;
    }
    const ended = this.finishRun(startMs - this.misses * this.frameMs);
    if (tonal) {
      this.runStartMs = startMs;
      this.runBin = found.bin;
      this.runFrames = 1;
      this.hzSum = found.hz;
      this.misses = 0;
    }
    return ended;
  }

  private finishRun(endMs: number): Tone | undefined {
    const long = this.runFrames * this.frameMs >= this.options.minDurationMs;
    const tone = long && this.runStartMs !== undefined ? { hz: Math.round(this.hzSum / this.runFrames), startMs: this.runStartMs, endMs } : undefined;
    this.runFrames = 0;
    this.runStartMs = undefined;
    this.runBin = -1;
    this.misses = 0;
    return tone;
  }
}
