/**
 * YIN fundamental-frequency estimator (de Cheveigné & Kawahara, 2002): difference function,
 * cumulative mean normalised difference, absolute threshold, parabolic interpolation.
 */
export interface YinOptions {
  sampleRate: number;
  minHz?: number;
  maxHz?: number;
  /** Absolute threshold on the normalised difference; lower is stricter about voicing. */
  threshold?: number;
}

export interface PitchEstimate {
  hz: number;
  /** 1 - normalised difference at the chosen lag: ~1 for a clean periodic frame. */
  clarity: number;
}

export class YinPitchDetector {
  readonly sampleRate: number;
  readonly minLag: number;
  readonly maxLag: number;
  /** Samples per analysis frame: two of the longest periods searched for, plus the lag step. */
  readonly frameSize: number;
  private readonly threshold: number;
  private readonly diff: Float64Array;

  constructor(options: YinOptions) {
    const minHz = options.minHz ?? 60;
    const maxHz = options.maxHz ?? 500;
    if (!(options.sampleRate > 0) || !(minHz > 0) || !(maxHz > minHz) || maxHz >= options.sampleRate / 2) {
      throw new RangeError(`Invalid pitch range ${minHz}-${maxHz} Hz at ${options.sampleRate} Hz`);
    }
    this.sampleRate = options.sampleRate;
    this.threshold = options.threshold ?? 0.12;
    this.minLag = Math.max(2, Math.floor(options.sampleRate / maxHz));
    this.maxLag = Math.ceil(options.sampleRate / minHz);
    this.frameSize = 2 * this.maxLag + 2;
    this.diff = new Float64Array(this.maxLag + 2);
  }

  /** F0 of the `frameSize` samples starting at `offset`, or null when the frame is not voiced. */
  detect(samples: ArrayLike<number>, offset = 0): PitchEstimate | null {
    if (offset < 0 || offset + this.frameSize > samples.length) return null;
    const window = this.maxLag;
    const d = this.diff;
    const top = this.maxLag + 1;
    for (let lag = 1; lag <= top; lag++) {
      let sum = 0;
      for (let i = 0; i < window; i++) {
        const delta = samples[offset + i]! - samples[offset + i + lag]!;
        sum += delta * delta;
      }
      d[lag] = sum;
    }
    // Cumulative mean normalised difference, in place.
    d[0] = 1;
    let running = 0;
    for (let lag = 1; lag <= top; lag++) {
      running += d[lag]!;
      d[lag] = running === 0 ? 1 : (d[lag]! * lag) / running;
    }
    let lag = -1;
    for (let tau = this.minLag; tau <= this.maxLag; tau++) {
      if (d[tau]! < this.threshold) {
        while (tau + 1 <= this.maxLag && d[tau + 1]! < d[tau]!) tau++;
        lag = tau;
        break;
      }
    }
    if (lag < 0) return null;
    const refined = parabolicMinimum(d, lag);
    return { hz: this.sampleRate / refined, clarity: 1 - d[lag]! };
  }
}

/** Sub-sample position of the minimum through three points around `i`. */
function parabolicMinimum(values: Float64Array, i: number): number {
  const a = values[i - 1];
  const b = values[i]!;
  const c = values[i + 1];
  if (a === undefined || c === undefined) return i;
  const denominator = a - 2 * b + c;
  return denominator === 0 ? i : i + (a - c) / (2 * denominator);
}
