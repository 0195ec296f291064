import { describe, expect, it } from 'vitest';
import { frameSamples, resample, Resampler } from '../../../electron/engine/audio';

function sine(rate: number, hz: number, seconds: number, amplitude = 12_000, delaySeconds = 0): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(amplitude * Math.sin(2 * Math.PI * hz * (i / rate - delaySeconds))));
}

/** RMS difference relative to the amplitude, over the middle of the signal (edges carry filter warm-up). */
function relativeError(actual: Int16Array, expected: Int16Array, amplitude: number, margin: number): number {
  let sum = 0;
  let n = 0;
  for (let i = margin; i < Math.min(actual.length, expected.length) - margin; i++) {
    sum += (actual[i]! - expected[i]!) ** 2;
    n++;
  }
  return Math.sqrt(sum / n) / amplitude;
}

const PAIRS: Array<[number, number]> = [
  [8_000, 16_000],
  [16_000, 8_000],
  [16_000, 24_000],
  [24_000, 16_000],
  [48_000, 16_000],
  [16_000, 48_000],
  [8_000, 48_000],
  [48_000, 8_000],
  [24_000, 8_000],
  [22_050, 16_000],
  [22_050, 8_000],
];

describe('resampling', () => {
  it.each(PAIRS)('%i Hz -> %i Hz keeps a 1 kHz sine within 0.5 percent RMS error', (from, to) => {
    const input = sine(from, 1000, 0.5);
    const output = resample(input, from, to);
    expect(output.length).toBe(Math.round((input.length * to) / from));
    const expected = sine(to, 1000, 0.5);
    expect(relativeError(output, expected, 12_000, Math.round(to / 100))).toBeLessThan(0.005);
  });

  it.each(PAIRS)('%i Hz -> %i Hz, fed in 20 ms frames, matches one pass sample for sample (no clicks)', (from, to) => {
    const input = sine(from, 440, 0.4);
    const oneShot = new Resampler(from, to).process(input);
    const streaming = new Resampler(from, to);
    const frame = Math.round(from / 50);
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += frame) parts.push(...streaming.process(input.subarray(i, i + frame)));
    expect(parts.length).toBe(oneShot.length);
    let maxDiff = 0;
    for (let i = 0; i < parts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(parts[i]! - oneShot[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('streams without phase shift and holds back only a few milliseconds (8 kHz line -> 16 kHz model)', () => {
    const resampler = new Resampler(8_000, 16_000);
    expect(resampler.latencyMs).toBeLessThan(3);
    const input = sine(8_000, 700, 1);
    const out: number[] = [];
    for (let i = 0; i < input.length; i += 160) out.push(...resampler.process(input.subarray(i, i + 160)));
    expect(16_000 - out.length).toBeLessThanOrEqual(Math.ceil((resampler.latencyMs * 16_000) / 1000) + 1);
    expect(relativeError(Int16Array.from(out), sine(16_000, 700, 1), 12_000, 400)).toBeLessThan(0.005);
  });

  it('removes content above the new Nyquist frequency when downsampling', () => {
    const input = sine(48_000, 6_000, 0.5); // above 4 kHz: must vanish at 8 kHz
    const output = resample(input, 48_000, 8_000);
    let peak = 0;
    for (let i = 100; i < output.length - 100; i++) peak = Math.max(peak, Math.abs(output[i]!));
    expect(peak).toBeLessThan(12_000 * 0.01);
  });

  it('rejects nonsense rates with a clear error', () => {
    expect(() => new Resampler(0, 16_000)).toThrow(/Unsupported sample rate/);
    expect(() => frameSamples(22_051)).toThrow(/no whole number/);
  });
});
