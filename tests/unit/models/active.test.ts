import { describe, expect, it } from 'vitest';
import type { InstalledModel } from '../../../electron/contracts';
import { ActiveModels } from '../../../electron/engine/models/active';

const model = (id: string, role: InstalledModel['role'], active: boolean): InstalledModel => ({
  id,
  role,
  name: id,
  engine: 'node-llama-cpp',
  dir: `/m/${id}`,
  primaryPath: `/m/${id}/${id}.gguf`,
  sizeBytes: 1,
  source: 'download',
  verified: true,
  installedAt: '2026-11-21T00:00:00.000Z',
  files: [{ path: `${id}.gguf`, sizeBytes: 1, sha256: 'a'.repeat(64), verified: true }],
  active,
});

describe('the active model per role', () => {
  it('gives a call the model that was active when it started, whatever switches later', () => {
    const active = new ActiveModels();
    active.sync([model('a', 'llm', true), model('b', 'llm', false)]);
    const call = active.acquire('llm');
    expect(call.model.modelId).toBe('a');
    expect(call.model.files[0]!.absolutePath).toBe('/m/a/a.gguf');

    const seen: string[] = [];
    active.onChange((role, m) => seen.push(`${role}:${m?.modelId}`));
    active.sync([model('a', 'llm', false), model('b', 'llm', true)]);
    expect(call.model.modelId).toBe('a'); // frozen for the running call
    expect(active.current('llm')?.modelId).toBe('b');
    expect(active.current('llm')!.generation).toBe(call.model.generation + 1);
    expect(seen).toEqual(['llm:b']);
    expect(active.holders('a')).toBe(1);
    call.release();
    call.release(); // twice is harmless
    expect(active.holders('a')).toBe(0);
  });

  it('does not notify when nothing changed, and clears a role that lost its model', () => {
    const active = new ActiveModels();
    const seen: string[] = [];
    active.onChange((role, m) => seen.push(`${role}:${m?.modelId ?? 'none'}`));
    active.sync([model('w', 'stt', true)]);
    active.sync([model('w', 'stt', true)]);
    active.sync([]);
    expect(seen).toEqual(['stt:w', 'stt:none']);
    expect(() => active.acquire('stt')).toThrow(/No stt model is active/);
  });

  it('keeps working when a listener throws', () => {
    const active = new ActiveModels();
    active.onChange(() => {
      throw new Error('broken console');
    });
    active.sync([model('v', 'vad', true)]);
    expect(active.current('vad')?.modelId).toBe('v');
  });
});
