import type { SpeechToText } from '../../engine/ports/speech';

/**
 * A benchmark's far end says one known line each time the agent stops talking; this stand-in returns
 * it for each caller segment (no speech recognition runs), so the figures are those of the carrier
 * and the call pipeline. Benchmarks only.
 */
export class FarEndScriptStt implements SpeechToText {
  readonly name = 'far-end script (benchmark only, no speech recognition)';
  readonly capabilities = { languages: 'multilingual' as const, gpu: false };
  constructor(private readonly reply: string) {}
  async transcribe(): Promise<{ text: string }> {
    return { text: this.reply };
  }
  async dispose(): Promise<void> {}
}
