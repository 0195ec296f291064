import { describe, expect, it } from 'vitest';
import { measureProsody } from '../../../electron/engine/emotion/prosody';
import { CallerVoiceBaseline } from '../../../electron/engine/emotion/voice-arousal';
import { syntheticSpeech } from './synthetic-speech';

describe('prosody measurements', () => {
  it('measures the RMS energy of a steady 220 Hz sine in dBFS and its pitch within 2%', () => {
    const sampleRate = 16_000;
    const audio = Int16Array.from({ length: sampleRate }, (_, i) => Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 220 * i) / sampleRate)));
    const m = measureProsody(audio, sampleRate);
    // RMS of a 0.5 amplitude sine is 0.5/sqrt(2): -9.03 dBFS.
    expect(m.energyDb).toBeCloseTo(-9.03, 1);
    expect(Math.abs(m.f0MeanHz! - 220) / 220).toBeLessThan(0.02);
    expect(m.f0RangeHz!).toBeLessThan(2);
    expect(m.pauseRatio).toBe(0);
    expect(m.durationMs).toBeGreaterThan(950);
  });

  it('counts syllable nuclei and pauses in speech-like bursts', () => {
    const audio = syntheticSpeech({ syllables: 12, syllableMs: 160, gapMs: 90, pauseMs: 700, pauseEvery: 6 });
    const m = measureProsody(audio, 16_000, 12);
    // 12 nuclei over 11 x 250 ms + 160 ms of speaking time (the long pause excluded) ~ 4 per second.
    expect(m.syllableRate).toBeGreaterThan(3.3);
    expect(m.syllableRate).toBeLessThan(4.8);
    expect(m.wordsPerSecond).toBeCloseTo(m.syllableRate, 0);
    // One 700 ms pause in ~3.4 s of speech region.
    expect(m.pauseRatio).toBeGreaterThan(0.1);
    expect(m.pauseRatio).toBeLessThan(0.25);
    expect(Math.abs(m.f0MeanHz! - 150) / 150).toBeLessThan(0.03);
  });

  it('sees faster speech as a higher rate and intonation as F0 range', () => {
    const slow = measureProsody(syntheticSpeech({ syllableMs: 200, gapMs: 140 }), 16_000);
    const fast = measureProsody(syntheticSpeech({ syllableMs: 120, gapMs: 60 }), 16_000);
    expect(fast.syllableRate).toBeGreaterThan(slow.syllableRate * 1.5);
    const flat = measureProsody(syntheticSpeech({ glide: 0 }), 16_000);
    const lively = measureProsody(syntheticSpeech({ glide: 0.4 }), 16_000);
    expect(lively.f0RangeHz!).toBeGreaterThan(flat.f0RangeHz! + 20);
  });

  it('works on 8 kHz phone audio and returns an empty reading for silence', () => {
    const m = measureProsody(syntheticSpeech({ sampleRate: 8_000, f0Hz: 220 }), 8_000);
    expect(Math.abs(m.f0MeanHz! - 220) / 220).toBeLessThan(0.02);
    const silent = measureProsody(new Int16Array(8_000), 8_000);
    expect(silent.durationMs).toBe(0);
    expect(silent.f0MeanHz).toBeNull();
    expect(() => measureProsody(new Int16Array(100), 4_000)).toThrow(/too low/);
  });
});

describe('arousal against the caller baseline', () => {
  const calm = () => measureProsody(syntheticSpeech({ amplitude: 0.15, f0Hz: 140, syllableMs: 190, gapMs: 120, pauseMs: 500, pauseEvery: 4 }), 16_000);
  const agitated = () =>
    measureProsody(syntheticSpeech({ amplitude: 0.6, f0Hz: 190, glide: 0.3, syllableMs: 120, gapMs: 60, syllables: 12 }), 16_000);

  it('reads the baseline turns as 0.5 and a louder, higher, faster turn as high arousal', () => {
    const baseline = new CallerVoiceBaseline(2);
    const first = baseline.read(calm());
    const second = baseline.read(calm());
    expect(first.baseline && second.baseline).toBe(true);
    expect(first.arousal).toBeCloseTo(0.5, 1);
    const same = baseline.read(calm());
    expect(same.baseline).toBe(false);
    expect(Math.abs(same.arousal - 0.5)).toBeLessThan(0.05);
    const angry = baseline.read(agitated());
    expect(angry.arousal).toBeGreaterThan(0.8);
    const quiet = baseline.read(measureProsody(syntheticSpeech({ amplitude: 0.05, f0Hz: 120, syllableMs: 240, gapMs: 160 }), 16_000));
    expect(quiet.arousal).toBeLessThan(0.35);
  });

  it('ignores turns too short to measure', () => {
    const baseline = new CallerVoiceBaseline(1);
    const blip = baseline.read(measureProsody(syntheticSpeech({ syllables: 1, syllableMs: 100 }), 16_000));
    expect(blip.arousal).toBe(0.5);
    expect(blip.baseline).toBe(false);
    expect(baseline.ready).toBe(false);
  });
});
