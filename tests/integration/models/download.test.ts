import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startModelsHarness, type ModelsHarness } from './support/harness';
import { sha256 } from './support/test-catalog';

let h: ModelsHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(): Promise<ModelsHarness | undefined> {
  h = await startModelsHarness();
  if (!h) console.warn('[not run] model download tests need ../shared/fixtures/models');
  return h;
}

describe('model downloads from a loopback server', () => {
  it('downloads a model with progress events, verifies it, places it and makes it active', async () => {
    const t = await harness();
    if (!t) return;
    const job = await t.download('tiny-llm');
    expect(job.state).toBe('completed');
    expect(job.receivedBytes).toBe(t.bytes.gguf.length);

    const progress = t.jobEvents(job.id);
    const states = [...new Set(progress.map((e) => e.state))];
    expect(states).toEqual(['queued', 'downloading', 'verifying', 'completed']);
    const counts = progress.filter((e) => e.state === 'downloading').map((e) => e.receivedBytes);
    expect(counts.length).toBeGreaterThan(3); // 1.75 MB arrives in 16 KB pieces
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(progress.some((e) => e.state === 'downloading' && e.bytesPerSecond > 0)).toBe(true);
    expect(progress.at(-1)!.etaSeconds).toBe(0);

    const placed = join(t.modelsDir, 'tiny-llm', 'llama-2-tiny-random.gguf');
    expect(sha256(readFileSync(placed))).toBe(sha256(t.bytes.gguf));
    expect(existsSync(`${placed}.part`)).toBe(false);
    const [installed] = await t.client.call('models.list', {});
    expect(installed).toMatchObject({ id: 'tiny-llm', role: 'llm', verified: true, active: true, source: 'download' });
    expect(t.engine.context.models.active.current('llm')?.primaryPath).toBe(placed);
    expect(t.stagingLeftovers()).toEqual([]);
  });

  it('resumes with a Range request after the server cuts the connection mid-file', async () => {
    const t = await harness();
    if (!t) return;
    t.server.behave('llama-2-tiny-random.gguf', { dropAfterBytes: 700_000 });
    const job = await t.download('tiny-llm');
    expect(job.state).toBe('completed');
    const requests = t.server.requests.filter((r) => r.path === 'llama-2-tiny-random.gguf');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ status: 200, sentBytes: 700_000, range: undefined });
    expect(requests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(requests[1]!.status).toBe(206);
    expect(requests[1]!.ifRange).toMatch(/^"/); // the strong ETag from the first answer
    const resumedAt = Number(/bytes=(\d+)-/.exec(requests[1]!.range!)![1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(700_000);
    expect(requests[1]!.sentBytes).toBe(t.bytes.gguf.length - resumedAt);
    expect(job.attempts).toBe(2);
    expect(job.resumedFromBytes).toBe(resumedAt);
    expect(sha256(readFileSync(join(t.modelsDir, 'tiny-llm', 'llama-2-tiny-random.gguf')))).toBe(sha256(t.bytes.gguf));
  });

  it('starts again from zero when the server ignores Range', async () => {
    const t = await harness();
    if (!t) return;
    t.server.behave('llama-2-tiny-random.gguf', { ranges: false, dropAfterBytes: 500_000 });
    const job = await t.download('tiny-llm');
    expect(job.state).toBe('completed');
    const requests = t.server.requests.filter((r) => r.path === 'llama-2-tiny-random.gguf');
    expect(requests.map((r) => r.status)).toEqual([200, 200]);
    expect(requests[1]!.range).toMatch(/^bytes=/); // asked to resume...
    expect(requests[1]!.sentBytes).toBe(t.bytes.gguf.length); // ...and got (and kept) the whole file
    expect(sha256(readFileSync(join(t.modelsDir, 'tiny-llm', 'llama-2-tiny-random.gguf')))).toBe(sha256(t.bytes.gguf));
  });

  it('rejects a file whose checksum is wrong: nothing registered, no partial left', async () => {
    const t = await harness();
    if (!t) return;
    const tampered = Buffer.from(t.bytes.gguf);
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0xff; // same size, same GGUF header, one byte off
    t.server.behave('llama-2-tiny-random.gguf', { body: tampered });
    const job = await t.download('tiny-llm');
    expect(job.state).toBe('failed');
    expect(job.failure?.reason).toBe('checksum_mismatch');
    expect(job.failure?.message).toContain(sha256(tampered));
    expect(await t.client.call('models.list', {})).toEqual([]);
    expect(t.engine.context.models.active.current('llm')).toBeUndefined();
    expect(existsSync(join(t.modelsDir, 'tiny-llm'))).toBe(false);
    expect(t.stagingLeftovers()).toEqual([]);
  });

  it('refuses an HTML page served instead of the model', async () => {
    const t = await harness();
    if (!t) return;
    t.server.behave('llama-2-tiny-random.gguf', { body: Buffer.from('<!DOCTYPE html><html><body>Please log in</body></html>'), contentType: 'text/html; charset=utf-8' });
    const job = await t.download('tiny-llm');
    expect(job.failure?.reason).toBe('not_a_model');
    expect(job.failure?.message).toMatch(/web page/);
    expect(await t.client.call('models.list', {})).toEqual([]);
    expect(t.stagingLeftovers()).toEqual([]);
  });

  it('refuses HTML even when the server calls it a binary file (magic bytes)', async () => {
    const t = await harness();
    if (!t) return;
    const page = Buffer.alloc(t.bytes.gguf.length, 0x20);
    page.write('<!DOCTYPE html><html><head><title>Sign in</title></head>', 0, 'utf8');
    t.server.behave('llama-2-tiny-random.gguf', { body: page });
    const job = await t.download('tiny-llm');
    expect(job.failure?.reason).toBe('not_a_model');
    expect(job.failure?.message).toMatch(/web page \(HTML\)/);
    expect(t.stagingLeftovers()).toEqual([]);
  });

  it('refuses a model of the wrong format served under the expected name', async () => {
    const t = await harness();
    if (!t) return;
    // A GGUF where a whisper ggml file belongs: same length so only the magic bytes can tell.
    const gguf = Buffer.alloc(t.bytes.whisperEn.length);
    t.bytes.gguf.copy(gguf, 0, 0, Math.min(gguf.length, t.bytes.gguf.length));
    t.server.behave('for-tests-ggml-tiny.en.bin', { body: gguf });
    const job = await t.download('test-whisper-en');
    expect(job.failure?.reason).toBe('not_a_model');
    expect(job.failure?.message).toMatch(/not a whisper\.cpp ggml model.*GGUF/);
    expect(t.stagingLeftovers()).toEqual([]);
  });

  it('tries mirrors first and falls back to the catalog URL when a mirror has no copy', async () => {
    const t = await harness();
    if (!t) return;
    await t.client.call('models.setSettings', { mirrors: [{ from: `${t.server.url}/files/`, to: `${t.server.url}/mirror/`, allowPrivateNetwork: true }] });
    const job = await t.download('test-whisper-en');
    expect(job.state).toBe('completed');
    const paths = t.server.requests.map((r) => r.path);
    expect(paths[0]).toBe('/mirror/for-tests-ggml-tiny.en.bin');
    expect(t.server.requests[0]!.status).toBe(404);
    expect(paths[1]).toBe('for-tests-ggml-tiny.en.bin');
  });

  it('uses a custom URL for a one-file model', async () => {
    const t = await harness();
    if (!t) return;
    // A custom URL must be on a host an admin approved as a mirror (here on loopback, so explicitly allowed).
    await t.client.call('models.setSettings', { mirrors: [{ from: 'https://unused.example/', to: `${t.server.url}/`, allowPrivateNetwork: true }] });
    const job = await t.download('tiny-llm-b', { url: t.server.fileUrl('llama-2-tiny-random.gguf') });
    expect(job.state).toBe('completed');
    expect(t.server.requests.map((r) => r.path)).toEqual(['llama-2-tiny-random.gguf']);
    await expect(t.client.call('models.download', { modelId: 'test-tts', url: t.server.fileUrl('model.onnx') })).rejects.toThrow(/custom URL only works for one-file models/);
  });

  it('downloads a multi-file model into its folder layout', async () => {
    const t = await harness();
    if (!t) return;
    const job = await t.download('test-tts');
    expect(job.state).toBe('completed');
    expect(job.totalBytes).toBe(t.bytes.onnx.length + 2 * t.bytes.ttsConfig.length + t.bytes.ttsTokenizer.length);
    const dir = join(t.modelsDir, 'test-tts');
    expect(readFileSync(join(dir, 'onnx', 'model.onnx')).equals(t.bytes.onnx)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'))).toEqual({ model_type: 'style_text_to_speech_2' });
  });

  it('cancels a slow download and resumes it on retry', async () => {
    const t = await harness();
    if (!t) return;
    t.server.behave('llama-2-tiny-random.gguf', { throttleBytesPerSecond: 1_000_000 });
    const started = await t.client.call('models.download', { modelId: 'tiny-llm' });
    await until(() => t.jobEvents(started.id).some((e) => e.receivedBytes > 200_000));
    await t.client.call('models.cancel', { jobId: started.id });
    const cancelled = await t.engine.context.models.waitForDownload(started.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.failure?.reason).toBe('cancelled');
    expect(await t.client.call('models.list', {})).toEqual([]);
    expect(t.stagingLeftovers().some((f) => f.endsWith('.part'))).toBe(true); // kept for the retry

    t.server.behave('llama-2-tiny-random.gguf', {});
    await t.client.call('models.retry', { jobId: started.id });
    const done = await t.engine.context.models.waitForDownload(started.id);
    expect(done.state).toBe('completed');
    const last = t.server.requests.at(-1)!;
    expect(last.status).toBe(206);
    expect(done.resumedFromBytes).toBeGreaterThan(200_000);
    expect(sha256(readFileSync(join(t.modelsDir, 'tiny-llm', 'llama-2-tiny-random.gguf')))).toBe(sha256(t.bytes.gguf));
    expect(t.stagingLeftovers()).toEqual([]);
  });

  it('runs no more downloads at once than the limit; the rest wait as queued', async () => {
    h = await startModelsHarness({ maxConcurrentDownloads: 1 });
    const t = h;
    if (!t) return console.warn('[not run] fixtures missing');
    t.server.behave('llama-2-tiny-random.gguf', { throttleBytesPerSecond: 4_000_000 });
    const first = await t.client.call('models.download', { modelId: 'tiny-llm' });
    const second = await t.client.call('models.download', { modelId: 'test-whisper-en' });
    await until(() => t.jobEvents(first.id).some((e) => e.state === 'downloading'));
    expect((await t.client.call('models.downloads', {})).find((j) => j.id === second.id)?.state).toBe('queued');
    const [a, b] = await Promise.all([t.engine.context.models.waitForDownload(first.id), t.engine.context.models.waitForDownload(second.id)]);
    expect([a.state, b.state]).toEqual(['completed', 'completed']);
    const secondStarted = t.jobEvents(second.id).findIndex((e) => e.state === 'downloading');
    const firstDone = t.events.findIndex((e) => e.name === 'models.download' && e.payload.id === first.id && e.payload.state === 'completed');
    const secondStartedAt = t.events.findIndex((e) => e.name === 'models.download' && e.payload.id === second.id && e.payload.state === 'downloading');
    expect(secondStarted).toBeGreaterThan(0);
    expect(secondStartedAt).toBeGreaterThan(firstDone);
  });

  it('needs --trust-unverified for a file without a known hash, then records the computed hash', async () => {
    const t = await harness();
    if (!t) return;
    await expect(t.client.call('models.download', { modelId: 'mystery-llm' })).rejects.toThrow(/not verified.*--trust-unverified/);
    expect(t.server.requests).toEqual([]);
    const job = await t.download('mystery-llm', { trustUnverified: true });
    expect(job.state).toBe('completed');
    const [installed] = await t.client.call('models.list', {});
    expect(installed).toMatchObject({ id: 'mystery-llm', verified: false });
    expect(installed!.files[0]).toMatchObject({ sha256: sha256(t.bytes.gguf), verified: false, sizeBytes: t.bytes.gguf.length });
  });

  it('answers unknown models and repeated downloads with clear errors', async () => {
    const t = await harness();
    if (!t) return;
    await expect(t.client.call('models.download', { modelId: 'no-such-model' })).rejects.toThrow(/no model "no-such-model"/);
    await expect(t.client.call('models.download', { modelId: 'Bad Id!' } as never)).rejects.toMatchObject({ code: 'invalid_payload' });
    await t.download('test-vad');
    await expect(t.client.call('models.download', { modelId: 'test-vad' })).rejects.toMatchObject({ code: 'conflict' });
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
