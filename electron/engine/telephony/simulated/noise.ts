/** Deterministic background noise for simulated lines (a seeded PRNG, so test runs repeat). */
export class NoiseSource {
  private state: number;
  private readonly amplitude: number;

  constructor(dbfs: number, seed = 0x2545f491) {
    this.state = seed >>> 0 || 1;
    // Uniform noise in [-a, a] has RMS a / sqrt(3).
    this.amplitude = 32768 * 10 ** (dbfs / 20) * Math.sqrt(3);
  }

  private next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  /** Adds noise to `frame` in place. */
  addTo(frame: Int16Array): Int16Array {
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]! + Math.round((this.next() * 2 - 1) * this.amplitude);
      frame[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return frame;
  }
}
