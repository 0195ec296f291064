import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../electron/contracts';
import { createWhisperSpeechToText } from '../../../electron/engine/adapters/stt/whisper';
import type { SpeechToText } from '../../../electron/engine/ports/speech';
import { fixture } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';
import { jfkSpeech } from './speech-audio';

const modelPath = fixture('models/for-tests-ggml-tiny.en.bin');
const speech = jfkSpeech();
const ready = Boolean(modelPath && speech);
if (!ready) console.warn('[not run] whisper real-model tests: fixture model or jfk.wav missing');

// The fixture model has no trained weights: it loads and runs the full whisper.cpp path but
// transcribes to empty or garbage text, so these tests check the calling code, not the words.
describe.runIf(ready)('whisper.cpp speech to text on the fixture model', () => {
  let stt: SpeechToText;
  const temp = tempDataDir('parley-whisper-');

  beforeAll(async () => {
    const started = performance.now();
    stt = await createWhisperSpeechToText({ modelPath: modelPath!, threads: 2, gpu: false });
    console.log(`[whisper] model loaded in ${(performance.now() - started).toFixed(0)} ms`);
  });
  afterAll(async () => {
    await stt?.dispose();
    temp.cleanup();
  });

  it('transcribes jfk.wav and returns a string', async () => {
    const started = performance.now();
    const result = await stt.transcribe(speech!.subarray(0, 16_000 * 4));
    const elapsed = performance.now() - started;
    console.log(`[whisper] 4 s of speech transcribed in ${elapsed.toFixed(0)} ms: ${JSON.stringify(result.text)}`);
    expect(typeof result.text).toBe('string');
    expect(result.language).toBe('en');
    expect(stt.capabilities.languages).toEqual(['en']);
    expect(elapsed).toBeGreaterThan(0);
  }, 180_000);

  it('refuses audio at a rate it cannot convert, and answers empty audio at once', async () => {
    // Conversion of 8/24/48 kHz and padding of short clips are unit-tested (tests/unit/adapters/whisper-input.test.ts).
    const odd = speech!.subarray(0, 11_025);
    const transcribe = stt.transcribe as (audio: Int16Array, options: { sampleRate: number }) => Promise<{ text: string }>;
    await expect(transcribe(odd, { sampleRate: 11_025 })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('11025 Hz') });
    await expect(stt.transcribe(new Int16Array(0))).resolves.toEqual({ text: '', language: 'en' });
  });

  it('releases a cancelled caller at once while the model keeps serving the queue', async () => {
    const first = stt.transcribe(speech!.subarray(0, 16_000 * 2));
    const controller = new AbortController();
    const queued = stt.transcribe(speech!.subarray(0, 16_000), { signal: controller.signal });
    const abortedAt = performance.now();
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - abortedAt).toBeLessThan(500);
    await expect(first).resolves.toHaveProperty('text');
    const already = new AbortController();
    already.abort();
    await expect(stt.transcribe(speech!, { signal: already.signal })).rejects.toMatchObject({ name: 'AbortError' });
  }, 180_000);

  it('refuses another language on an English-only model', async () => {
    await expect(stt.transcribe(new Int16Array(1600), { language: 'de' })).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('gives clear errors for a missing, foreign or truncated model file and keeps running', async () => {
    const missing = createWhisperSpeechToText({ modelPath: join(temp.dir, 'nope.bin'), gpu: false });
    await expect(missing).rejects.toBeInstanceOf(ParleyError);
    await expect(missing).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('not found') });

    const foreign = join(temp.dir, 'foreign.bin');
    writeFileSync(foreign, Buffer.alloc(4096, 7));
    await expect(createWhisperSpeechToText({ modelPath: foreign, gpu: false })).rejects.toMatchObject({ code: 'invalid_payload' });

    const truncated = join(temp.dir, 'truncated.bin');
    const { readFileSync } = await import('node:fs');
    writeFileSync(truncated, readFileSync(modelPath!).subarray(0, 100));
    await expect(createWhisperSpeechToText({ modelPath: truncated, gpu: false })).rejects.toMatchObject({ code: 'invalid_payload' });

    const empty = join(temp.dir, 'empty.bin');
    writeFileSync(empty, '');
    await expect(createWhisperSpeechToText({ modelPath: empty, gpu: false })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('truncated or empty') });
  }, 180_000);

  it('shares one loaded model between adapters and refuses work after dispose', async () => {
    const second = await createWhisperSpeechToText({ modelPath: modelPath!, threads: 2, gpu: false });
    await second.dispose();
    await expect(second.transcribe(new Int16Array(1600))).rejects.toMatchObject({ code: 'unavailable' });
    // The first adapter still holds the shared model (untouched by the failed loads above), so it keeps working.
    await expect(stt.transcribe(new Int16Array(1600))).resolves.toHaveProperty('text');
  }, 180_000);
});
