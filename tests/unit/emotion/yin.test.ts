import { describe, expect, it } from 'vitest';
import { YinPitchDetector } from '../../../electron/engine/emotion/yin';

function sine(hz: number, sampleRate: number, seconds: number, amplitude = 0.5): Float64Array {
  return Float64Array.from({ length: Math.round(sampleRate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
}

describe('YIN pitch detector', () => {
  it('reads a 220 Hz sine as 220 Hz within 2% at 16 kHz and at 8 kHz', () => {
    for (const sampleRate of [16_000, 8_000]) {
      const detector = new YinPitchDetector({ sampleRate });
      const estimate = detector.detect(sine(220, sampleRate, 0.2));
      expect(estimate).not.toBeNull();
      expect(Math.abs(estimate!.hz - 220) / 220).toBeLessThan(0.02);
      expect(estimate!.clarity).toBeGreaterThan(0.9);
    }
  });

  it('tracks voice-range frequencies including a harmonic-rich tone', () => {
    const detector = new YinPitchDetector({ sampleRate: 16_000 });
    for (const hz of [85, 120, 180, 310, 450]) {
      const estimate = detector.detect(sine(hz, 16_000, 0.2));
      expect(Math.abs(estimate!.hz - hz) / hz).toBeLessThan(0.02);
    }
    // A sawtooth-like tone (fundamental plus decaying harmonics) must not read as an octave up.
    const rich = Float64Array.from({ length: 3200 }, (_, i) =>
      [1, 2, 3, 4, 5].reduce((s, k) => s + (0.5 / k) * Math.sin((2 * Math.PI * 150 * k * i) / 16_000), 0),
    );
    expect(Math.abs(detector.detect(rich)!.hz - 150)).toBeLessThan(3);
  });

  it('finds no pitch in silence or white noise', () => {
    const detector = new YinPitchDetector({ sampleRate: 16_000 });
    expect(detector.detect(new Float64Array(3200))).toBeNull();
    let seed = 42;
    const noise = Float64Array.from({ length: 3200 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    });
    expect(detector.detect(noise)).toBeNull();
  });

  it('refuses a frame shorter than it needs and an impossible range', () => {
    const detector = new YinPitchDetector({ sampleRate: 16_000 });
    expect(detector.detect(sine(220, 16_000, 0.01))).toBeNull();
    expect(() => new YinPitchDetector({ sampleRate: 8_000, maxHz: 5_000 })).toThrow(RangeError);
  });
});
