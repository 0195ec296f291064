import { describe, expect, it } from 'vitest';
import type { HardwareInfo, Recommendation } from '../../../electron/contracts';
import { bundledCatalog } from '../../../electron/engine/models/catalog';
import { recommend } from '../../../electron/engine/models/recommend';

const GB = 1024 ** 3;
const catalog = bundledCatalog();

function machine(overrides: Partial<HardwareInfo>): HardwareInfo {
  return {
    platform: 'linux',
    arch: 'x64',
    cpuModel: 'test CPU',
    cpuCores: 8,
    physicalCores: 8,
    totalRamBytes: 16 * GB,
    freeRamBytes: 8 * GB,
    llamaGpu: null,
    gpuNames: [],
    vramBytes: 0,
    unifiedMemory: false,
    whisperGpuBuilds: [],
    whisperGpu: false,
    modelsDir: '/data/models',
    freeDiskBytes: 500 * GB,
    probedAt: '2026-11-21T00:00:00.000Z',
    warnings: [],
    ...overrides,
  };
}

const run = (hw: Partial<HardwareInfo>, calls = 2, language = 'en'): Recommendation =>
  recommend(catalog, machine(hw), { concurrentCalls: calls, language, includeUnverified: false, installed: new Set() });
const picked = (r: Recommendation) => Object.fromEntries(r.picks.map((p) => [p.role, p.modelId]));
const sizeOf = (id: string) => catalog.models.find((m) => m.id === id)!.ramBytes;

describe('recommending a model set for this machine', () => {
  it('gives a small CPU-only office machine small, fast models', () => {
    const r = run({ cpuCores: 4, physicalCores: 2, totalRamBytes: 8 * GB }, 2);
    expect(r.fits).toBe(true);
    const ids = picked(r);
    expect(['qwen2.5-0.5b-instruct-q4-k-m', 'llama-3.2-1b-instruct-q4-k-m']).toContain(ids.llm);
    expect(ids.stt).toBe('whisper-tiny-en');
    expect(ids.vad).toBe('silero-vad-v5-onnx'); // the framing the voice pipeline's Silero adapter uses by default
    expect(ids.tts).toBe('kokoro-82m-v1.0-q8');
    expect(r.notes.join(' ')).toMatch(/No GPU found/);
  });

  it('gives a big workstation larger models, and a GPU the largest', () => {
    const cpu = run({ cpuCores: 32, physicalCores: 16, totalRamBytes: 64 * GB }, 2);
    const gpu = run({ cpuCores: 32, physicalCores: 16, totalRamBytes: 64 * GB, llamaGpu: 'cuda', vramBytes: 24 * GB, gpuNames: ['RTX 4090'], whisperGpu: true }, 4);
    expect(sizeOf(picked(cpu).llm!)).toBeGreaterThan(sizeOf('llama-3.2-1b-instruct-q4-k-m'));
    expect(picked(gpu).llm).toBe('qwen2.5-7b-instruct-q4-k-m');
    expect(gpu.picks.find((p) => p.role === 'llm')!.onGpu).toBe(true);
    expect(picked(gpu).stt).toBe('whisper-large-v3-turbo-q5-0');
    expect(picked(gpu).tts).toBe('kokoro-82m-v1.0-fp32');
  });

  it('explains each choice with the numbers behind it', () => {
    const r = run({ physicalCores: 8, totalRamBytes: 16 * GB }, 3);
    const llm = r.picks.find((p) => p.role === 'llm')!;
    expect(llm.reason).toMatch(/largest language model that fits 3 concurrent calls/);
    expect(llm.reason).toMatch(/per call/);
    expect(llm.reason).toMatch(/8 CPU cores for 3 calls/);
    expect(r.picks.map((p) => p.role)).toEqual(['stt', 'llm', 'tts', 'vad']);
    expect(r.totalRamBytes).toBeLessThanOrEqual(r.budgetBytes);
    expect(r.totalDownloadBytes).toBe(r.picks.reduce((n, p) => n + p.downloadBytes, 0));
  });

  it('leaves headroom for more calls by choosing smaller models', () => {
    const few = run({ physicalCores: 16, totalRamBytes: 12 * GB }, 1);
    const many = run({ physicalCores: 16, totalRamBytes: 12 * GB }, 12);
    expect(sizeOf(picked(many).llm!)).toBeLessThan(sizeOf(picked(few).llm!));
    expect(many.totalRamBytes).toBeLessThanOrEqual(many.budgetBytes);
  });

  it('says so when even the smallest set does not fit', () => {
    const r = run({ totalRamBytes: 3 * GB, physicalCores: 2 }, 8);
    expect(r.fits).toBe(false);
    expect(r.notes.join(' ')).toMatch(/Not enough memory for 8 concurrent calls/);
  });

  it('uses multilingual speech models for other languages and flags a small disk', () => {
    const r = recommend(catalog, machine({ freeDiskBytes: 100_000_000 }), { concurrentCalls: 1, language: 'de', includeUnverified: false, installed: new Set() });
    const stt = catalog.models.find((m) => m.id === picked(r).stt)!;
    expect(stt.languages).toContain('multilingual');
    expect(r.fits).toBe(false);
    expect(r.notes.join(' ')).toMatch(/only 100 MB is free/);
  });

  it('counts nothing to download for models already installed', () => {
    const first = run({}, 2);
    const installed = new Set(first.picks.map((p) => p.modelId));
    const again = recommend(catalog, machine({}), { concurrentCalls: 2, language: 'en', includeUnverified: false, installed });
    expect(again.picks.every((p) => p.installed)).toBe(true);
    expect(again.totalDownloadBytes).toBe(0);
  });
});
