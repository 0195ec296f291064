import type { SpeechToText } from '../../electron/engine/ports/speech';

/**
 * Test-only recogniser: it knows what the far end says, so each caller turn gets those words (the
 * whisper.cpp test model has no trained weights). It never ships as recognition.
 */
export class ScriptRecogniser implements SpeechToText {
  readonly name = 'test recogniser (knows the script)';
  readonly capabilities = { languages: ['en'], gpu: false };
  heard = 0;
  constructor(private readonly said = 'Yes, I would like to book the spring service.') {}
  async transcribe(): Promise<{ text: string }> {
    this.heard++;
    return { text: this.said };
  }
  async dispose(): Promise<void> {}
}
