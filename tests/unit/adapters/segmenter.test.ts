import { describe, expect, it } from 'vitest';
import { SpeechSegmenter, type SegmentEvent } from '../../../electron/engine/adapters/vad/segmenter';

const FRAME_MS = 32;

function run(segmenter: SpeechSegmenter, probabilities: number[]): SegmentEvent[] {
  const events = probabilities.flatMap((p) => segmenter.push(p));
  return [...events, ...segmenter.flush()];
}

const frames = (count: number, probability: number) => Array<number>(count).fill(probability);

describe('speech segmenter', () => {
  it('reports a start dated at the first speech frame once speech lasts minSpeechMs, and an end after minSilenceMs', () => {
    const segmenter = new SpeechSegmenter(FRAME_MS, { minSpeechMs: 96, minSilenceMs: 160 });
    const events = run(segmenter, [...frames(5, 0.05), ...frames(10, 0.9), ...frames(10, 0.05)]);
    expect(events).toEqual([
      { type: 'speech-start', atMs: 5 * FRAME_MS },
      { type: 'speech-end', atMs: 15 * FRAME_MS, startedAtMs: 5 * FRAME_MS, durationMs: 10 * FRAME_MS },
    ]);
  });

  it('ignores a burst shorter than minSpeechMs (a click, a cough)', () => {
    const segmenter = new SpeechSegmenter(FRAME_MS, { minSpeechMs: 250 });
    expect(run(segmenter, [...frames(3, 0.02), ...frames(7, 0.95), ...frames(20, 0.02)])).toEqual([]);
  });

  it('keeps one utterance through a pause shorter than minSilenceMs and through the hysteresis band', () => {
    const segmenter = new SpeechSegmenter(FRAME_MS, { minSpeechMs: 64, minSilenceMs: 300, startThreshold: 0.5, endThreshold: 0.3 });
    const events = run(segmenter, [...frames(10, 0.9), ...frames(5, 0.1), ...frames(10, 0.4), ...frames(10, 0.9), ...frames(12, 0.1)]);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    expect(events[1]).toMatchObject({ atMs: 35 * FRAME_MS, startedAtMs: 0 });
  });

  it('closes an utterance still open at the end of the audio', () => {
    const segmenter = new SpeechSegmenter(FRAME_MS, { minSpeechMs: 32 });
    const events = run(segmenter, frames(4, 0.8));
    expect(events.at(-1)).toEqual({ type: 'speech-end', atMs: 4 * FRAME_MS, startedAtMs: 0, durationMs: 4 * FRAME_MS });
  });

  it('takes new thresholds mid-stream (stricter while the agent speaks)', () => {
    const segmenter = new SpeechSegmenter(FRAME_MS, { minSpeechMs: 64 });
    segmenter.setOptions({ startThreshold: 0.8, minSpeechMs: 320 });
    expect(frames(8, 0.7).flatMap((p) => segmenter.push(p))).toEqual([]);
    expect(frames(10, 0.9).flatMap((p) => segmenter.push(p))).toEqual([{ type: 'speech-start', atMs: 8 * FRAME_MS }]);
  });

  it('refuses settings that cannot work', () => {
    expect(() => new SpeechSegmenter(FRAME_MS, { startThreshold: 1.5 })).toThrow(/startThreshold/);
    expect(() => new SpeechSegmenter(FRAME_MS, { endThreshold: 0.9, startThreshold: 0.5 })).toThrow(/endThreshold/);
    expect(() => new SpeechSegmenter(0)).toThrow(/frameMs/);
    const segmenter = new SpeechSegmenter(FRAME_MS);
    expect(() => segmenter.setOptions({ minSilenceMs: -1 })).toThrow(/minSpeechMs and minSilenceMs/);
  });
});
