import type { AudioChunk } from '../ports/audio';
import type { SynthesizeOptions, TextToSpeech } from '../ports/speech';

/**
 * A call's voice, counting what billed voices report (characters sent to the service) into the
 * call's usage. Cached sentences and local voices report nothing, so nothing is counted for them.
 */
export class MeteredTts implements TextToSpeech {
  constructor(
    private readonly inner: TextToSpeech,
    private readonly onUsage: NonNullable<SynthesizeOptions['onUsage']>,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get providerId(): string | undefined {
    return this.inner.providerId;
  }

  get capabilities() {
    return this.inner.capabilities;
  }

  synthesize(text: string, options: SynthesizeOptions = {}): AsyncIterable<AudioChunk> {
    return this.inner.synthesize(text, { ...options, onUsage: this.onUsage });
  }

  /** The engine belongs to the runtime; a call never disposes it. */
  async dispose(): Promise<void> {}
}
