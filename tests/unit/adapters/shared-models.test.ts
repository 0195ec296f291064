import { describe, expect, it } from 'vitest';
import { SharedModels } from '../../../electron/engine/adapters/shared-models';

describe('shared models', () => {
  it('loads once for concurrent holders and releases after the last one lets go', async () => {
    const released: string[] = [];
    const models = new SharedModels<{ id: string }>(async (value) => {
      released.push(value.id);
    });
    let loads = 0;
    const load = async () => ({ id: `model-${++loads}` });
    const [a, b] = await Promise.all([models.acquire('m.gguf', load), models.acquire('m.gguf', load)]);
    expect(loads).toBe(1);
    expect(a.value).toBe(b.value);
    await a.release();
    await a.release(); // a second release of the same holder counts once
    expect(released).toEqual([]);
    await b.release();
    expect(released).toEqual(['model-1']);
    expect(models.size).toBe(0);
    const c = await models.acquire('m.gguf', load);
    expect(c.value.id).toBe('model-2'); // loaded afresh after a full release
  });

  it('forgets a failed load so the next attempt tries again', async () => {
    const models = new SharedModels<string>(async () => undefined);
    await expect(models.acquire('bad', async () => Promise.reject(new Error('corrupt')))).rejects.toThrow('corrupt');
    expect(models.size).toBe(0);
    await expect(models.acquire('bad', async () => 'fixed')).resolves.toMatchObject({ value: 'fixed' });
  });
});
