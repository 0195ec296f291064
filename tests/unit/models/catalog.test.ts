import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_ROLES } from '../../../electron/contracts';
import { bundledCatalog, downloadBytes, isVerified, loadCatalogFile, parseCatalog } from '../../../electron/engine/models/catalog';

const good = () => ({
  schemaVersion: 1,
  updated: '2026-11-21',
  models: [
    {
      id: 'm1',
      role: 'llm',
      name: 'M1',
      description: '',
      engine: 'node-llama-cpp',
      family: 'x',
      license: 'MIT',
      languages: ['en'],
      ramBytes: 1,
      perCallRamBytes: 0,
      speedClass: 'fast',
      files: [{ path: 'm1.gguf', urls: ['https://example.org/m1.gguf'], sizeBytes: 10, sha256: 'a'.repeat(64), format: 'gguf', verified: true }],
    },
  ],
});

describe('the bundled catalog', () => {
  const catalog = bundledCatalog();

  it('validates and covers every role', () => {
    for (const role of MODEL_ROLES) expect(catalog.models.some((m) => m.role === role)).toBe(true);
  });

  it('only marks files verified when size and sha256 are stated', () => {
    for (const model of catalog.models) {
      for (const file of model.files) {
        if (file.verified) {
          expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
          expect(file.sizeBytes).toBeGreaterThan(0);
          expect(file.source).toBeTruthy();
        }
      }
    }
  });

  it('states the published sizes and hashes of well-known files', () => {
    const file = (id: string) => catalog.models.find((m) => m.id === id)!.files[0]!;
    expect(file('whisper-base-en')).toMatchObject({ sizeBytes: 147_964_211, sha256: 'a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002' });
    expect(file('qwen2.5-0.5b-instruct-q4-k-m')).toMatchObject({ sizeBytes: 491_400_032, sha256: '74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db' });
    expect(file('silero-vad-v6.2.0-ggml')).toMatchObject({ sizeBytes: 885_098, sha256: '2aa269b785eeb53a82983a20501ddf7c1d9c48e33ab63a41391ac6c9f7fb6987' });
    expect(file('whisper-base-en').urls[0]).toBe('https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en.bin');
  });

  it('spans language models from ~0.5B to ~8B', () => {
    const params = catalog.models.filter((m) => m.role === 'llm').map((m) => m.parameters);
    expect(params).toContain('0.5B');
    expect(params).toContain('8B');
  });

  it('sums download sizes and knows when a model is verified', () => {
    const kokoro = catalog.models.find((m) => m.id === 'kokoro-82m-v1.0-q8')!;
    expect(downloadBytes(kokoro)).toBe(kokoro.files.reduce((n, f) => n + f.sizeBytes!, 0));
    expect(isVerified(kokoro)).toBe(true);
  });
});

describe('a bad manifest gets a clear error', () => {
  it('names a missing field with the model it belongs to', () => {
    const raw = good();
    delete (raw.models[0]!.files[0] as Partial<(typeof raw.models)[0]['files'][0]>).sha256;
    expect(() => parseCatalog(raw, 'test.json')).toThrow('Model catalog test.json is invalid: models[0] ("m1").files[0].sha256: missing required field "sha256"');
  });

  it('names an unknown role', () => {
    const raw = good();
    (raw.models[0] as { role: string }).role = 'translator';
    expect(() => parseCatalog(raw, 'test.json')).toThrow(/models\[0\] \("m1"\)\.role: Unknown role "translator": expected one of stt, llm, tts, vad/);
  });

  it('refuses a verified file without a hash, bad hashes, unsafe paths, duplicate ids and unknown fields', () => {
    const cases: [(raw: ReturnType<typeof good>) => void, RegExp][] = [
      [(r) => ((r.models[0]!.files[0] as { sha256: string | null }).sha256 = null), /verified file must state its sizeBytes and sha256/],
      [(r) => (r.models[0]!.files[0]!.sha256 = 'XYZ'), /sha256 must be 64 lowercase hex/],
      [(r) => (r.models[0]!.files[0]!.path = '../../etc/passwd'), /no "\.\."/],
      [(r) => (r.models[0]!.files[0]!.urls = ['file:///etc/passwd']), /Only http\(s\) URLs/],
      [(r) => r.models.push(structuredClone(r.models[0]!)), /Model ids must be unique/],
      [(r) => ((r.models[0] as Record<string, unknown>).colour = 'blue'), /unknown field "colour"/],
      [(r) => ((r as { schemaVersion: number }).schemaVersion = 2), /schemaVersion/],
    ];
    for (const [spoil, message] of cases) {
      const raw = good();
      spoil(raw);
      expect(() => parseCatalog(raw, 'x')).toThrow(message);
    }
  });

  it('reports unreadable and non-JSON catalog files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-catalog-'));
    try {
      await expect(loadCatalogFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'not_found' });
      writeFileSync(join(dir, 'bad.json'), '{ "schemaVersion": 1, ');
      await expect(loadCatalogFile(join(dir, 'bad.json'))).rejects.toThrow(/is not valid JSON/);
      writeFileSync(join(dir, 'ok.json'), JSON.stringify(good()));
      expect((await loadCatalogFile(join(dir, 'ok.json'))).models).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
