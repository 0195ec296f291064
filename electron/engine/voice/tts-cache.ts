import type { AudioChunk } from '../ports/audio';
import type { SynthesizeOptions, TextToSpeech } from '../ports/speech';

/**
 * Keeps recently spoken sentences' audio, per voice. Campaign lines repeat across calls ("Which
 * weekday suits you best?"); saying them again costs nothing, and with espeak-ng it saves a process
 * start, which blocks the event loop for tens of milliseconds on a busy engine. Bounded by samples
 * held; the least recently used sentences go first. Interrupted syntheses are never stored.
 */
export class CachingTts implements TextToSpeech {
  private readonly entries = new Map<string, AudioChunk>();
  private held = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: TextToSpeech,
    /** Samples kept at most (16M samples of PCM16 is 32 MB). */
    private readonly maxSamples = 16_000_000,
    /** Sentences longer than this are not kept (generated prose rarely repeats). */
    private readonly maxChars = 200,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get capabilities(): TextToSpeech['capabilities'] {
    return this.inner.capabilities;
  }

  async *synthesize(text: string, options: SynthesizeOptions = {}): AsyncIterable<AudioChunk> {
    const style = options.style ? `${options.style.rate ?? 1}/${options.style.volume ?? 1}/${options.style.pitch ?? 1}` : '';
    const key = `${options.voice ?? ''}|${options.language ?? ''}|${style}|${text.trim()}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, cached);
      yield cached;
      return;
    }
    this.misses++;
    const parts: AudioChunk[] = [];
    for await (const chunk of this.inner.synthesize(text, options)) {
      parts.push(chunk);
      yield chunk;
    }
    if (options.signal?.aborted || text.length > this.maxChars || parts.length === 0) return;
    const rate = parts[0]!.sampleRate;
    if (parts.some((p) => p.sampleRate !== rate)) return;
    const samples = new Int16Array(parts.reduce((n, p) => n + p.samples.length, 0));
    let at = 0;
    for (const p of parts) {
      samples.set(p.samples, at);
      at += p.samples.length;
    }
    this.entries.set(key, { samples, sampleRate: rate });
    this.held += samples.length;
    for (const [oldKey, old] of this.entries) {
      if (this.held <= this.maxSamples) break;
      this.entries.delete(oldKey);
      this.held -= old.samples.length;
    }
  }

  dispose(): Promise<void> {
    this.entries.clear();
    this.held = 0;
    return this.inner.dispose();
  }
}
