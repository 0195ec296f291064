import { describe, expect, it } from 'vitest';
import { GoertzelBank, ToneDetector, type Tone } from '../../../electron/engine/voice/machine-detection/tone-detector';

const sine = (hz: number, ms: number, rate: number, amplitude = 8_000) => Int16Array.from({ length: Math.round((ms * rate) / 1000) }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)));

function noise(length: number, amplitude: number, seed = 7): Int16Array {
  let s = seed;
  return Int16Array.from({ length }, () => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return Math.round((s / 0x7fffffff - 0.5) * 2 * amplitude);
  });
}

function run(rate: number, audio: Int16Array): Tone[] {
  const detector = new ToneDetector(rate);
  const size = rate / 50;
  const tones: Tone[] = [];
  const padded = new Int16Array(audio.length + size * 10);
  padded.set(audio);
  for (let at = 0; at + size <= padded.length; at += size) {
    const tone = detector.push(padded.subarray(at, at + size));
    if (tone) tones.push(tone);
  }
  return tones;
}

describe('beep tone detector', () => {
  it('measures a pure tone as pure and white noise as not', () => {
    const bank = new GoertzelBank(8_000);
    expect(bank.analyse(sine(1_000, 20, 8_000))!.purity).toBeGreaterThan(0.9);
    expect(bank.analyse(sine(1_012, 20, 8_000))!.purity).toBeGreaterThan(0.75); // between two bins
    expect(bank.analyse(noise(160, 5_000))!.purity).toBeLessThan(0.3);
    expect(bank.analyse(new Int16Array(160))).toBeUndefined();
  });

  it('finds a 1 kHz beep of 300 ms after silence, with its frequency and when it ended (8 kHz)', () => {
    const audio = new Int16Array(8_000 + 2_400);
    audio.set(sine(1_000, 300, 8_000), 8_000);
    const [tone, ...rest] = run(8_000, audio);
    expect(rest).toEqual([]);
    expect(Math.abs(tone!.hz - 1_000)).toBeLessThanOrEqual(25);
    expect(Math.abs(tone!.startMs - 1_000)).toBeLessThanOrEqual(20);
    expect(Math.abs(tone!.endMs - 1_300)).toBeLessThanOrEqual(40);
  });

  it('finds beeps across 400-2000 Hz at 16 kHz, and under line noise', () => {
    for (const hz of [440, 850, 1_400, 1_950]) {
      const audio = noise(16_000, 300);
      const beep = sine(hz, 400, 16_000);
      for (let i = 0; i < beep.length; i++) audio[4_000 + i] = audio[4_000 + i]! + beep[i]!;
      const tones = run(16_000, audio);
      expect(tones, `${hz} Hz`).toHaveLength(1);
      expect(Math.abs(tones[0]!.hz - hz)).toBeLessThanOrEqual(25);
    }
  });

  it('ignores a tone shorter than the minimum, one outside the band, and noise', () => {
    expect(run(8_000, sine(1_000, 60, 8_000))).toEqual([]);
    expect(run(8_000, sine(200, 600, 8_000))).toEqual([]);
    expect(run(8_000, noise(16_000, 6_000))).toEqual([]);
  });
});
