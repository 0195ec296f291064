import type { AudioChunk } from '../../engine/ports/audio';
import type { TextToSpeech, VoiceActivityDetector } from '../../engine/ports/speech';
import { rms } from '../../engine/audio/pcm';

/**
 * Engines that take no time, so the overhead scenario measures only the pipeline's own code:
 * queue hops, timers, resampling, pacing. Benchmark-only; never used by calls.
 */
export class InstantTts implements TextToSpeech {
  readonly name = 'instant (benchmark stub)';
  readonly capabilities = { sampleRate: 16_000, voices: [], languages: ['en'] };

  /** 100 ms of a 300 Hz tone (a whole number of periods, so slices join without a click). */
  private static readonly slice = Int16Array.from({ length: 1_600 }, (_, i) => Math.round(6_000 * Math.sin((2 * Math.PI * 300 * i) / 16_000)));

  async *synthesize(text: string): AsyncIterable<AudioChunk> {
    // A tone as long as the words would take to say (~150 words a minute), so the caller hears a
    // turn; handed over in 100 ms chunks at once, like a streaming engine with nothing to compute.
    const words = Math.max(1, text.split(/\s+/).length);
    for (let i = 0; i < words * 4; i++) yield { samples: InstantTts.slice, sampleRate: 16_000 };
  }

  async dispose(): Promise<void> {}
}

/** A level detector with no model: speech is anything clearly above digital silence. */
export class InstantVad implements VoiceActivityDetector {
  readonly name = 'instant level (benchmark stub)';
  readonly frameSamples = 512;
  createStream() {
    return {
      process: async (frame: Int16Array) => (rms(frame) > 0.01 ? 1 : 0),
      reset: () => undefined,
    };
  }
  async dispose(): Promise<void> {}
}
