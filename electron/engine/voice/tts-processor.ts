import type { TextToSpeech } from '../ports/speech';
import { Resampler } from '../audio/resample';
import type { Direction, Frame, FrameOf } from './frames';
import { FrameProcessor } from './processor';

/**
 * Speaks each clause as it arrives (streamed: the first chunk goes on while the rest is still being
 * made), resampled to the line's rate. When the configured voice fails mid-call, the clause is
 * spoken again with the fallback voice and the call stays on it.
 */
export class TtsProcessor extends FrameProcessor {
  private active: TextToSpeech;
  private failedOver = false;
  /** Voice, language; from the campaign. */
  voice: string | undefined;
  language: string | undefined;
  /** Speaking rate for the rest of the call (slower once the caller is frustrated). */
  rate = 1;

  constructor(
    primary: TextToSpeech,
    private readonly fallback: TextToSpeech | undefined,
    private readonly outputRate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    super('tts');
    this.active = primary;
  }

  get engineName(): string {
    return this.active.name;
  }

  protected override async process(frame: Frame, direction: Direction): Promise<void> {
    if (frame.type !== 'agent-text' || direction !== 'downstream') return this.push(frame, direction);
    const { handle } = frame;
    if (handle.interrupted) return;
    const segment = handle.addSegment(frame.text);
    const signal = this.signal;
    try {
      await this.speak(this.active, frame, segment, signal);
    } catch (error) {
      if (signal.aborted || handle.interrupted) return;
      const message = `${this.active.name} could not speak: ${(error as Error).message}`;
      if (!this.fallback || this.failedOver || this.fallback === this.active) {
        this.push({ kind: 'system', type: 'error', stage: 'tts', message, fatal: true }, 'upstream');
        return;
      }
      this.push({ kind: 'system', type: 'error', stage: 'tts', message: `${message}; switching to ${this.fallback.name}`, fatal: false }, 'upstream');
      this.active = this.fallback;
      this.failedOver = true;
      try {
        await this.speak(this.active, frame, segment, signal);
      } catch (again) {
        if (!signal.aborted) this.push({ kind: 'system', type: 'error', stage: 'tts', message: `${this.active.name} could not speak either: ${(again as Error).message}`, fatal: true }, 'upstream');
      }
    } finally {
      handle.completeSegment(segment);
    }
  }

  private async speak(tts: TextToSpeech, frame: FrameOf<'agent-text'>, segment: number, signal: AbortSignal): Promise<void> {
    const { handle } = frame;
    let resampler: Resampler | undefined;
    let produced = 0;
    const emit = (samples: Int16Array) => {
      if (samples.length === 0 || handle.interrupted) return;
      handle.timing.firstTtsChunkAt ??= this.now();
      handle.addAudio(segment, samples.length);
      produced += samples.length;
      this.push({ kind: 'data', type: 'tts-audio', handle, segment, samples, sampleRate: this.outputRate });
    };
    let slices = 0;
    for await (const chunk of tts.synthesize(frame.text, { voice: this.voice, language: this.language, signal, ...(this.rate !== 1 ? { style: { rate: this.rate } } : {}) })) {
      if (signal.aborted || handle.interrupted) return;
      if (!resampler || resampler.fromRate !== chunk.sampleRate) resampler = new Resampler(chunk.sampleRate, this.outputRate);
      // Audio is resampled 100 ms at a time, giving the event loop back between slices: an engine
      // that hands over a whole sentence at once (a cache hit, an in-memory model) must not make
      // other calls' audio and timers wait. The first slice goes straight through.
      const slice = Math.round(chunk.sampleRate / 10);
      for (let at = 0; at < chunk.samples.length; at += slice) {
        if (slices++ > 0) await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted || handle.interrupted) return;
        emit(resampler.process(chunk.samples.subarray(at, at + slice)));
      }
    }
    // Let the filter give back the last few milliseconds it was holding.
    if (resampler) emit(resampler.process(new Int16Array(Math.ceil((resampler.latencyMs * resampler.fromRate) / 1000) + 1)));
    if (produced === 0 && frame.text.trim()) throw new Error('no audio produced');
  }
}
