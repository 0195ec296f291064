import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKokoroTts, kokoroClauses } from '../../../electron/engine/adapters/tts/kokoro';
import { bundledSileroModelPath, createSileroVad } from '../../../electron/engine/adapters/vad/silero';
import type { AudioChunk } from '../../../electron/engine/ports/audio';
import { rms } from '../../../electron/engine/audio';
import { fixturesDir } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';

// The Kokoro ONNX model (~90 MB) is not among the shared fixtures and cannot be downloaded here;
// a machine that has it points PARLEY_KOKORO_MODEL_DIR at the folder the model manager installs.
const kokoroDir = process.env.PARLEY_KOKORO_MODEL_DIR ?? join(fixturesDir, 'models/kokoro-82m-v1.0');
const haveKokoro = existsSync(join(kokoroDir, 'config.json'));
if (!haveKokoro) console.warn(`[not run] Kokoro real-model synthesis: no Kokoro model in fixtures (looked in ${kokoroDir}; set PARLEY_KOKORO_MODEL_DIR)`);

/** A folder shaped like the Kokoro export: the real config.json, a minimal tokenizer, chosen weights. */
function kokoroShapedFolder(root: string, name: string, weights: { file: string; from?: string; bytes?: Buffer }): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), '{\n  "model_type": "style_text_to_speech_2"\n}');
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 512 }));
  const vocab = Object.fromEntries([...' abcdefghijklmnopqrstuvwxyz$'].map((ch, i) => [ch, i]));
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({ version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: { type: 'Split', pattern: { Regex: '' }, behavior: 'Isolated', invert: false }, post_processor: null, decoder: null, model: { type: 'WordLevel', vocab, unk_token: '$' } }),
  );
  if (weights.from) copyFileSync(weights.from, join(dir, 'onnx', weights.file));
  if (weights.bytes) writeFileSync(join(dir, 'onnx', weights.file), weights.bytes);
  return dir;
}

describe('Kokoro TTS', () => {
  const temp = tempDataDir('parley-kokoro-');
  afterAll(() => temp.cleanup());

  it('splits a reply so the first clause can be spoken before the rest is synthesized', () => {
    expect(kokoroClauses('Hi Sam, this is Ava from Bright Bikes. Do you have a minute? Great.')).toEqual(['Hi Sam, this is Ava from Bright Bikes.', 'Do you have a minute?', 'Great.']);
    expect(kokoroClauses('Thanks for your time, and have a lovely afternoon.')).toEqual(['Thanks for your time,', 'and have a lovely afternoon.']);
    expect(kokoroClauses('')).toEqual([]);
  });

  it('gives clear errors for a missing, incomplete or corrupt model folder', async () => {
    await expect(createKokoroTts({ modelDir: join(temp.dir, 'absent') })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('not found') });
    const incomplete = join(temp.dir, 'incomplete');
    mkdirSync(incomplete);
    writeFileSync(join(incomplete, 'config.json'), '{}');
    await expect(createKokoroTts({ modelDir: incomplete })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('tokenizer.json') });
    const noWeights = kokoroShapedFolder(temp.dir, 'no-weights', { file: 'model_quantized.onnx' });
    await expect(createKokoroTts({ modelDir: noWeights })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('no onnx/model') });
    const truncated = kokoroShapedFolder(temp.dir, 'truncated', { file: 'model_quantized.onnx', bytes: Buffer.alloc(1000) });
    await expect(createKokoroTts({ modelDir: truncated })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('truncated') });
    // Loaded before any good model on purpose: a corrupt file must not poison later loads in this process.
    const corrupt = kokoroShapedFolder(temp.dir, 'corrupt', { file: 'model.onnx', bytes: Buffer.alloc(2 * 1024 * 1024, 0x41) });
    await expect(createKokoroTts({ modelDir: corrupt, dtype: 'fp32' })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('could not be loaded') });
  }, 60_000);

  it('runs its ONNX session in the same process as Silero (one onnxruntime build for both)', async () => {
    const vad = await createSileroVad();
    try {
      // A real ONNX graph that is not Kokoro: it loads through kokoro-js/transformers, then refuses to speak.
      const wrongGraph = kokoroShapedFolder(temp.dir, 'wrong-graph', { file: 'model.onnx', from: bundledSileroModelPath() });
      const tts = await createKokoroTts({ modelDir: wrongGraph, dtype: 'fp32' });
      expect(tts.capabilities.voices).toContain('af_heart');
      expect(tts.capabilities.sampleRate).toBe(24_000);
      const speak = async () => {
        for await (const _chunk of tts.synthesize('Hello there.')) {
          // no audio expected
        }
      };
      await expect(speak()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Kokoro could not speak') });
      await tts.dispose();
      await expect(vad.createStream().process(new Int16Array(512))).resolves.toBeTypeOf('number');
    } finally {
      await vad.dispose();
    }
  }, 60_000);

  it.runIf(haveKokoro)('speaks clause by clause with the real model', async () => {
    const tts = await createKokoroTts({ modelDir: kokoroDir });
    try {
      const started = performance.now();
      const chunks: AudioChunk[] = [];
      let firstChunkMs = 0;
      for await (const chunk of tts.synthesize('Hello, this is Ava from Bright Bikes. Do you have a minute?', { voice: 'af_heart' })) {
        if (chunks.length === 0) firstChunkMs = performance.now() - started;
        chunks.push(chunk);
      }
      console.log(`[kokoro] first chunk after ${firstChunkMs.toFixed(0)} ms; ${chunks.length} chunks`);
      expect(chunks.length).toBeGreaterThanOrEqual(2);
      for (const chunk of chunks) {
        expect(chunk.sampleRate).toBe(24_000);
        expect(rms(chunk.samples)).toBeGreaterThan(100);
      }
    } finally {
      await tts.dispose();
    }
  }, 120_000);
});
