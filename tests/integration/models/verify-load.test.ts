import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelsHarness, type ModelsHarness } from './support/harness';

let h: ModelsHarness | undefined;

beforeAll(async () => {
  h = await startModelsHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('load check after install', () => {
  it('loads each downloaded stand-in with the engine that will run it', async () => {
    if (!h) return console.warn('[not run] fixtures missing');
    for (const id of ['tiny-llm', 'test-whisper-en', 'test-vad', 'test-tts']) {
      expect((await h.download(id)).state).toBe('completed');
    }
    const llm = await h.client.call('models.verifyLoad', { modelId: 'tiny-llm' });
    expect(llm).toMatchObject({ ok: true, engine: 'node-llama-cpp' });
    expect(llm.detail).toMatch(/GGUF loaded \(train context \d+ tokens/);

    const stt = await h.client.call('models.verifyLoad', { modelId: 'test-whisper-en' });
    expect(stt).toMatchObject({ ok: true, engine: 'whisper.cpp', detail: 'whisper.cpp model loaded' });

    const vad = await h.client.call('models.verifyLoad', { modelId: 'test-vad' });
    expect(vad).toMatchObject({ ok: true, detail: 'whisper.cpp VAD model loaded' });

    const tts = await h.client.call('models.verifyLoad', { modelId: 'test-tts' });
    expect(tts).toMatchObject({ ok: true, engine: 'kokoro-js' });
    expect(tts.detail).toMatch(/inputs: x; outputs: y/);
  }, 120_000);

  it('reports a model whose file was damaged after install as not loading', async () => {
    if (!h) return console.warn('[not run] fixtures missing');
    const [stt] = (await h.client.call('models.list', {})).filter((m) => m.id === 'test-whisper-en');
    writeFileSync(stt!.primaryPath, Buffer.from('lmgg but then nothing useful'));
    const check = await h.client.call('models.verifyLoad', { modelId: 'test-whisper-en' });
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/Test Whisper did not load/);
    await expect(h.client.call('models.verifyLoad', { modelId: 'not-installed' })).rejects.toMatchObject({ code: 'not_found' });
  }, 60_000);
});
