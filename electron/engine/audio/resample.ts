import { clamp16 } from './pcm';

/**
 * Streaming rational resampler: a Kaiser-windowed sinc low-pass applied as a polyphase filter bank
 * (upsample by L, filter, keep every M-th sample). State carries across chunks, so cutting a stream
 * into 20 ms pieces gives exactly the samples a single pass would: no clicks at frame boundaries.
 * Written here rather than taken from a WASM port because each call needs several small,
 * synchronous converters that share one coefficient table per rate pair.
 */

/** Zero crossings of the sinc kept on each side, in periods of the lower rate. */
const ZERO_CROSSINGS = 16;
/** Cutoff as a fraction of the lower rate's Nyquist frequency. */
const ROLLOFF = 0.9;
/** Kaiser beta: about 60 dB of stop-band attenuation. */
const KAISER_BETA = 6;

interface FilterBank {
  up: number;
  down: number;
  taps: number;
  /** phases[p][j] multiplies input sample x[i - j] for an output at upsampled position i*up + p. */
  phases: Float32Array[];
  /** Centre of the prototype filter in upsampled samples (a whole number, so outputs line up with inputs). */
  centre: number;
}

const banks = new Map<string, FilterBank>();

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function filterBank(fromRate: number, toRate: number): FilterBank {
  const key = `${fromRate}:${toRate}`;
  const cached = banks.get(key);
  if (cached) return cached;
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const taps = Math.ceil((2 * ZERO_CROSSINGS * fromRate) / Math.min(fromRate, toRate));
  // An odd-length prototype has a whole-sample centre; the bank's last slot stays zero if needed.
  const length = up * taps - ((up * taps) % 2 === 0 ? 1 : 0);
  const upRate = fromRate * up;
  const cutoff = (ROLLOFF * Math.min(fromRate, toRate)) / 2 / upRate; // cycles per upsampled sample
  const centre = (length - 1) / 2;
  const norm = besselI0(KAISER_BETA);
  const phases = Array.from({ length: up }, () => new Float32Array(taps));
  for (let n = 0; n < length; n++) {
    const t = n - centre;
    const sinc = t === 0 ? 1 : Math.sin(2 * Math.PI * cutoff * t) / (2 * Math.PI * cutoff * t);
    const r = (2 * n) / (length - 1) - 1;
    const window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
    // `up` restores the gain lost by inserting zeros between input samples.
    phases[n % up]![Math.floor(n / up)] = up * 2 * cutoff * sinc * window;
  }
  const bank: FilterBank = { up, down, taps, phases, centre };
  banks.set(key, bank);
  return bank;
}

function checkRate(rate: number): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 192_000) throw new RangeError(`Unsupported sample rate: ${rate}`);
}

export class Resampler {
  private readonly bank: FilterBank | undefined;
  private history: Float32Array;
  /** Upsampled position of the next output, relative to the first sample of the next chunk. */
  private position: number;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    checkRate(fromRate);
    checkRate(toRate);
    this.bank = fromRate === toRate ? undefined : filterBank(fromRate, toRate);
    this.history = new Float32Array(this.bank ? this.bank.taps - 1 : 0);
    this.position = this.bank?.centre ?? 0;
  }

  /**
   * Output sample k is the signal at input time k / toRate exactly (no phase shift); the price is
   * that it comes out once the input has reached a few milliseconds past that time.
   */
  get latencyMs(): number {
    return this.bank ? (this.bank.centre / (this.fromRate * this.bank.up)) * 1000 : 0;
  }

  process(input: Int16Array): Int16Array {
    const bank = this.bank;
    if (!bank) return input.slice();
    const { up, down, taps, phases } = bank;
    const n = input.length;
    const extended = new Float32Array(taps - 1 + n);
    extended.set(this.history);
    for (let i = 0; i < n; i++) extended[taps - 1 + i] = input[i]!;
    const end = n * up;
    const count = this.position < end ? Math.ceil((end - this.position) / down) : 0;
    const out = new Int16Array(count);
    let u = this.position;
    for (let k = 0; k < count; k++) {
      const i = Math.floor(u / up);
      const coefficients = phases[u - i * up]!;
      const base = i + taps - 1;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += coefficients[j]! * extended[base - j]!;
      out[k] = clamp16(Math.round(acc));
      u += down;
    }
    this.position = u - end;
    this.history = extended.slice(n);
    return out;
  }

  reset(): void {
    this.history.fill(0);
    this.position = this.bank?.centre ?? 0;
  }
}

/** Whole-buffer conversion: round(n * to / from) samples, lined up with the input. */
export function resample(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return samples.slice();
  const resampler = new Resampler(fromRate, toRate);
  const wanted = Math.round((samples.length * toRate) / fromRate);
  const head = resampler.process(samples);
  // Zeros after the end let the filter finish the last outputs it was holding back.
  const tail = resampler.process(new Int16Array(Math.ceil((resampler.latencyMs * fromRate) / 1000) + 2));
  const all = new Int16Array(head.length + tail.length);
  all.set(head);
  all.set(tail, head.length);
  return all.slice(0, wanted);
}
