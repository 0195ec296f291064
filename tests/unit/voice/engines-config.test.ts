import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTextToSpeech, registeredKinds } from '../../../electron/engine/adapters/registry';
import type { AudioChunk } from '../../../electron/engine/ports/audio';
import type { TextToSpeech } from '../../../electron/engine/ports/speech';
import { enginesFromModelsDir } from '../../../electron/engine/voice/models-dir';
import { CachingTts } from '../../../electron/engine/voice/tts-cache';
import { tempDataDir } from '../../support/temp-dir';

class CountingTts implements TextToSpeech {
  readonly name = 'counting';
  readonly capabilities = { sampleRate: 16_000, voices: [], languages: [] };
  calls = 0;
  async *synthesize(text: string): AsyncIterable<AudioChunk> {
    this.calls++;
    yield { samples: new Int16Array(text.length * 100).fill(1), sampleRate: 16_000 };
    yield { samples: new Int16Array(50).fill(2), sampleRate: 16_000 };
  }
  async dispose(): Promise<void> {}
}

async function audioOf(tts: TextToSpeech, text: string, signal?: AbortSignal): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of tts.synthesize(text, { signal })) out.push(...chunk.samples);
  return out;
}

describe('sentence audio cache', () => {
  it('speaks a repeated line from memory, identical to the first time', async () => {
    const inner = new CountingTts();
    const tts = new CachingTts(inner);
    const first = await audioOf(tts, 'Which weekday suits you best?');
    const second = await audioOf(tts, 'Which weekday suits you best?');
    expect(second).toEqual(first);
    expect(inner.calls).toBe(1);
    expect([tts.hits, tts.misses]).toEqual([1, 1]);
  });

  it('keeps nothing from an interrupted synthesis, and evicts the oldest lines past its bound', async () => {
    const inner = new CountingTts();
    const tts = new CachingTts(inner, 3_000);
    const abort = new AbortController();
    abort.abort();
    await audioOf(tts, 'cut off', abort.signal);
    await audioOf(tts, 'cut off');
    expect(inner.calls).toBe(2);
    await audioOf(tts, 'a'.repeat(20)); // 2,050 samples
    await audioOf(tts, 'b'.repeat(20)); // over the bound: the oldest goes
    await audioOf(tts, 'a'.repeat(20));
    expect(inner.calls).toBe(5);
  });
});

describe('engines from a models folder', () => {
  it('finds a Whisper ggml, a GGUF, a Kokoro folder and a Silero model', () => {
    const { dir, cleanup } = tempDataDir();
    try {
      for (const f of ['ggml-base.en.bin', 'qwen2.5-1.5b-instruct-q4.gguf', 'silero_vad.onnx', 'notes.txt', 'ggml-silero-v5.bin']) writeFileSync(join(dir, f), 'x');
      mkdirSync(join(dir, 'kokoro-82m', 'onnx'), { recursive: true });
      writeFileSync(join(dir, 'kokoro-82m', 'config.json'), '{}');
      const { engines, found } = enginesFromModelsDir(dir);
      expect(engines).toEqual({
        stt: { kind: 'whisper', modelPath: join(dir, 'ggml-base.en.bin') },
        llm: { kind: 'llama-cpp', modelPath: join(dir, 'qwen2.5-1.5b-instruct-q4.gguf') },
        vad: { kind: 'silero', modelPath: join(dir, 'silero_vad.onnx') },
        tts: { kind: 'kokoro', modelDir: join(dir, 'kokoro-82m') },
      });
      expect(found).toHaveLength(4);
    } finally {
      cleanup();
    }
  });

  it('says clearly when the folder does not exist', () => {
    expect(() => enginesFromModelsDir('/no/such/folder')).toThrow(/Models folder not found: \/no\/such\/folder/);
  });
});

describe('adapter registry', () => {
  it('lists its kinds and refuses an unknown one with the list', async () => {
    expect(registeredKinds.tts).toEqual(['espeak', 'kokoro', 'elevenlabs']);
    expect(registeredKinds.vad).toContain('silero');
    await expect(createTextToSpeech({ kind: 'festival' } as never)).rejects.toThrow(/Unknown text-to-speech engine "festival" \(this build has: espeak, kokoro, elevenlabs\)/);
  });
});
