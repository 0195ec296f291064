import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine';
import { tempDataDir } from '../../support/temp-dir';
import { startModelsHarness, type ModelsHarness } from './support/harness';
import { FIXTURE_MODELS, sha256 } from './support/test-catalog';
import { fixture } from '../../support/fixtures';

let h: ModelsHarness | undefined;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A folder like a USB stick someone filled by hand. */
function stick(files: Record<string, Buffer>): string {
  const folder = tempDataDir('parley-usb-');
  cleanups.push(folder.cleanup);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(folder.dir, name, '..'), { recursive: true });
    writeFileSync(join(folder.dir, name), data);
  }
  return folder.dir;
}

describe('importing models from a folder', () => {
  it('imports the good file, rejects the corrupt one, and registers only what verified', async () => {
    h = await startModelsHarness();
    if (!h) return console.warn('[not run] fixtures missing');
    const corrupt = Buffer.from(h.bytes.whisperEn);
    corrupt[corrupt.length - 100] = corrupt[corrupt.length - 100]! ^ 0x5a;
    const folder = stick({
      'models/llama-2-tiny-random.gguf': h.bytes.gguf,
      'models/for-tests-ggml-tiny.en.bin': corrupt,
      'notes.txt': Buffer.from('from the office server'),
    });
    const progress: Array<{ file: string; phase: string; doneBytes: number; totalBytes: number }> = [];
    const off = h.client.on('models.importProgress', (p) => progress.push(p));
    const outcome = await h.client.call('models.import', { folder });
    off();
    // Each file read is reported while it is checked, and each model file while it is copied in, to its last byte.
    const last = (file: string, phase: string) => progress.filter((p) => p.file === file && p.phase === phase).at(-1);
    expect(last('models/llama-2-tiny-random.gguf', 'checking')).toEqual({ file: 'models/llama-2-tiny-random.gguf', phase: 'checking', doneBytes: h.bytes.gguf.length, totalBytes: h.bytes.gguf.length });
    expect(last('models/llama-2-tiny-random.gguf', 'copying')?.doneBytes).toBe(h.bytes.gguf.length);
    expect(last('models/for-tests-ggml-tiny.en.bin', 'copying')).toBeUndefined(); // rejected: never copied

    // The GGUF is recognised by size and hash for both catalog ids that use those bytes.
    expect(outcome.imported.map((m) => m.modelId).sort()).toEqual(['tiny-llm', 'tiny-llm-b']);
    expect(outcome.rejected).toEqual([
      expect.objectContaining({ file: 'models/for-tests-ggml-tiny.en.bin', reason: 'checksum_mismatch', message: expect.stringContaining(sha256(corrupt)) }),
    ]);
    expect(outcome.ignored).toEqual(['notes.txt']);
    const installed = await h.client.call('models.list', {});
    expect(installed.map((m) => m.id).sort()).toEqual(['tiny-llm', 'tiny-llm-b']);
    expect(installed.every((m) => m.source === 'import' && m.verified)).toBe(true);
    expect(existsSync(join(h.modelsDir, 'test-whisper-en'))).toBe(false);
    expect(h.stagingLeftovers()).toEqual([]);
    // Copies, not moves: the stick is untouched.
    expect(readFileSync(join(folder, 'models/llama-2-tiny-random.gguf')).equals(h.bytes.gguf)).toBe(true);
    expect(sha256(readFileSync(join(h.modelsDir, 'tiny-llm-b', 'tiny-b.gguf')))).toBe(FIXTURE_MODELS.gguf.sha256);
  });

  it('recognises files by hash whatever their name, and a multi-file model only when complete', async () => {
    h = await startModelsHarness();
    if (!h) return console.warn('[not run] fixtures missing');
    const partial = stick({ 'tts/onnx/model.onnx': h.bytes.onnx, 'tts/config.json': h.bytes.ttsConfig });
    const first = await h.client.call('models.import', { folder: partial });
    expect(first.imported).toEqual([]);
    expect(first.incomplete).toEqual([{ modelId: 'test-tts', missing: ['tokenizer.json'] }]);

    const full = stick({ 'renamed-whisper.dat': h.bytes.whisperEn, 'a/onnx.bin': h.bytes.onnx, 'a/config.json': h.bytes.ttsConfig, 'a/tokenizer.json': h.bytes.ttsTokenizer });
    const second = await h.client.call('models.import', { folder: full });
    expect(second.imported.map((m) => m.modelId).sort()).toEqual(['test-tts', 'test-whisper-en']);
    expect(readFileSync(join(h.modelsDir, 'test-tts', 'onnx', 'model.onnx')).equals(h.bytes.onnx)).toBe(true);

    const again = await h.client.call('models.import', { folder: full });
    expect(again.alreadyInstalled.sort()).toEqual(['test-tts', 'test-whisper-en']);
    expect(again.imported).toEqual([]);
  });

  it('rejects a file renamed to the wrong extension by its magic bytes, even when trusting unverified files', async () => {
    h = await startModelsHarness();
    if (!h) return console.warn('[not run] fixtures missing');
    // Some other whisper build (not a catalog hash) renamed to the name of the hash-unknown GGUF entry.
    const otherWhisper = Buffer.from(h.bytes.whisperEn);
    otherWhisper[otherWhisper.length - 1] = otherWhisper[otherWhisper.length - 1]! ^ 0x01;
    const folder = stick({ 'mystery.gguf': otherWhisper });
    const strict = await h.client.call('models.import', { folder });
    expect(strict.rejected).toEqual([expect.objectContaining({ file: 'mystery.gguf', reason: 'unverified' })]);
    const trusting = await h.client.call('models.import', { folder, trustUnverified: true });
    expect(trusting.rejected).toEqual([
      expect.objectContaining({ file: 'mystery.gguf', reason: 'not_a_model', message: expect.stringMatching(/not a GGUF model.*whisper\.cpp ggml/) }),
    ]);
    expect(await h.client.call('models.list', {})).toEqual([]);
    expect(h.stagingLeftovers()).toEqual([]);
  });

  it('links instead of copying when asked and the folder is on the same disk', async () => {
    h = await startModelsHarness();
    if (!h) return console.warn('[not run] fixtures missing');
    const folder = stick({ 'ggml-silero-v6.2.0.bin': h.bytes.silero });
    const outcome = await h.client.call('models.import', { folder, mode: 'link' });
    expect(outcome.imported.map((m) => m.modelId)).toEqual(['test-vad']);
    const placed = statSync(join(h.modelsDir, 'test-vad', 'ggml-silero-v6.2.0.bin'));
    expect(placed.ino).toBe(statSync(join(folder, 'ggml-silero-v6.2.0.bin')).ino);
  });

  it('gives clear errors for a missing folder or a file path', async () => {
    h = await startModelsHarness();
    if (!h) return console.warn('[not run] fixtures missing');
    await expect(h.client.call('models.import', { folder: join(h.dataDir, 'nope') })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/does not exist/) });
    const file = join(h.dataDir, 'file.bin');
    writeFileSync(file, 'x');
    await expect(h.client.call('models.import', { folder: file })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringMatching(/is not a folder/) });
    await expect(h.client.call('models.import', { folder: '' })).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('recognises the fixture Silero file as the real catalog entry it is byte-for-byte', async () => {
    const source = fixture(FIXTURE_MODELS.silero.path);
    if (!source) return;
    const data = tempDataDir('parley-models-');
    cleanups.push(data.cleanup);
    const folder = stick({});
    copyFileSync(source, join(folder, 'for-tests-silero-v6.2.0-ggml.bin'));
    const engine = await createEngine({ dataDir: data.dir, logLevel: 'silent' }); // the bundled catalog
    try {
      const outcome = await engine.context.models.importFolder(folder, { mode: 'copy', trustUnverified: false });
      expect(outcome.imported).toEqual([{ modelId: 'silero-vad-v6.2.0-ggml', name: 'Silero VAD v6.2.0 (whisper.cpp)', files: 1 }]);
      expect(engine.context.models.active.current('vad')?.primaryPath).toBe(join(data.dir, 'models', 'silero-vad-v6.2.0-ggml', 'ggml-silero-v6.2.0.bin'));
    } finally {
      await engine.dispose();
    }
  });
});
