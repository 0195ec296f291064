import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Catalog, CatalogModel } from '../../../../electron/contracts';
import { fixture } from '../../../support/fixtures';
import type { FixtureServer } from './fixture-server';
import { identityOnnxModel } from './onnx';

/** The shared fixture models with the sha256 their README publishes (checked on load, so drift shows). */
export const FIXTURE_MODELS = {
  gguf: { path: 'models/llama-2-tiny-random.gguf', sha256: '81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb' },
  whisperEn: { path: 'models/for-tests-ggml-tiny.en.bin', sha256: 'dd6b7796204a1cdf7164666423034e6e1a7a3e9f5c22327b4b7974c4584bd82d' },
  silero: { path: 'models/for-tests-silero-v6.2.0-ggml.bin', sha256: '2aa269b785eeb53a82983a20501ddf7c1d9c48e33ab63a41391ac6c9f7fb6987' },
} as const;

export interface FixtureBytes {
  gguf: Buffer;
  whisperEn: Buffer;
  silero: Buffer;
  onnx: Buffer;
  ttsConfig: Buffer;
  ttsTokenizer: Buffer;
}

/** Reads the fixtures, or returns undefined (after `fixture()` printed why) when they are not here. */
export function loadFixtureBytes(): FixtureBytes | undefined {
  const paths = Object.values(FIXTURE_MODELS).map((m) => fixture(m.path));
  if (paths.some((p) => p === undefined)) return undefined;
  const read = (key: keyof typeof FIXTURE_MODELS) => {
    const bytes = readFileSync(fixture(FIXTURE_MODELS[key].path)!);
    const sha = sha256(bytes);
    if (sha !== FIXTURE_MODELS[key].sha256) throw new Error(`Fixture ${FIXTURE_MODELS[key].path} has sha256 ${sha}, not the published one`);
    return bytes;
  };
  return {
    gguf: read('gguf'),
    whisperEn: read('whisperEn'),
    silero: read('silero'),
    onnx: identityOnnxModel(),
    ttsConfig: Buffer.from(JSON.stringify({ model_type: 'style_text_to_speech_2' })),
    ttsTokenizer: Buffer.from(JSON.stringify({ version: '1.0' })),
  };
}

/** Files the loopback server serves, by name. `tiny-b.gguf` is the same GGUF under a second model id. */
export function servedFiles(bytes: FixtureBytes): Record<string, Buffer> {
  return {
    'llama-2-tiny-random.gguf': bytes.gguf,
    'tiny-b.gguf': bytes.gguf,
    'for-tests-ggml-tiny.en.bin': bytes.whisperEn,
    'for-tests-silero-v6.2.0-ggml.bin': bytes.silero,
    'model.onnx': bytes.onnx,
    'config.json': bytes.ttsConfig,
    'tokenizer.json': bytes.ttsTokenizer,
    'mystery.gguf': bytes.gguf,
  };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const base = {
  description: 'test stand-in',
  family: 'test',
  license: 'MIT',
  languages: ['en'],
  ramBytes: 10_000_000,
  perCallRamBytes: 1_000_000,
  speedClass: 'fastest' as const,
};

/** A catalog whose URLs point at the loopback server, one model per role plus a few for edge cases. */
export function testCatalog(server: FixtureServer, bytes: FixtureBytes): Catalog {
  const file = (name: string, path: string, data: Buffer, format: 'gguf' | 'ggml' | 'onnx' | 'json') => ({
    path,
    urls: [server.fileUrl(name)],
    sizeBytes: data.length,
    sha256: sha256(data),
    format,
    verified: true,
  });
  const models: CatalogModel[] = [
    { ...base, id: 'tiny-llm', role: 'llm', name: 'Tiny LLM', engine: 'node-llama-cpp', files: [file('llama-2-tiny-random.gguf', 'llama-2-tiny-random.gguf', bytes.gguf, 'gguf')] },
    { ...base, id: 'tiny-llm-b', role: 'llm', name: 'Tiny LLM B', engine: 'node-llama-cpp', files: [file('tiny-b.gguf', 'tiny-b.gguf', bytes.gguf, 'gguf')] },
    { ...base, id: 'test-whisper-en', role: 'stt', name: 'Test Whisper', engine: 'whisper.cpp', files: [file('for-tests-ggml-tiny.en.bin', 'for-tests-ggml-tiny.en.bin', bytes.whisperEn, 'ggml')] },
    { ...base, id: 'test-vad', role: 'vad', name: 'Test VAD', engine: 'whisper.cpp', files: [file('for-tests-silero-v6.2.0-ggml.bin', 'ggml-silero-v6.2.0.bin', bytes.silero, 'ggml')] },
    {
      ...base,
      id: 'test-tts',
      role: 'tts',
      name: 'Test TTS',
      engine: 'kokoro-js',
      files: [
        file('model.onnx', 'onnx/model.onnx', bytes.onnx, 'onnx'),
        file('config.json', 'config.json', bytes.ttsConfig, 'json'),
        file('tokenizer.json', 'tokenizer.json', bytes.ttsTokenizer, 'json'),
        file('config.json', 'tokenizer_config.json', bytes.ttsConfig, 'json'),
      ],
    },
    {
      ...base,
      id: 'mystery-llm',
      role: 'llm',
      name: 'Mystery LLM',
      engine: 'node-llama-cpp',
      files: [{ path: 'mystery.gguf', urls: [server.fileUrl('mystery.gguf')], sizeBytes: null, sha256: null, format: 'gguf', verified: false }],
    },
  ];
  return { schemaVersion: 1, updated: '2026-11-21', models };
}
