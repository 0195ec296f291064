import { existsSync } from 'node:fs';
import { getLlama, LlamaCompletion, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRole } from '../../../electron/contracts';
import type { ModelManager } from '../../../electron/engine/models/manager';
import { startModelsHarness, type ModelsHarness } from './support/harness';

let h: ModelsHarness | undefined;
let llama: Llama | undefined;

beforeAll(async () => {
  h = await startModelsHarness();
  if (!h) return;
  llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, logLevel: LlamaLogLevel.error });
}, 60_000);

afterAll(async () => {
  await llama?.dispose();
  await h?.close();
});

/**
 * Stands in for a call's agent: takes the active LLM when the call starts, then talks for a few
 * turns on it with the real node-llama-cpp, whatever happens to the active model meanwhile.
 */
async function simulatedCall(models: ModelManager, turns: number, afterTurn: (turn: number) => Promise<void> = async () => undefined) {
  const lease = models.active.acquire('llm');
  try {
    const model = await llama!.loadModel({ modelPath: lease.model.primaryPath });
    const context = await model.createContext({ contextSize: 256, threads: 2 });
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const replies: string[] = [];
    for (let turn = 0; turn < turns; turn++) {
      replies.push(await completion.generateCompletion(`Caller says hello ${turn}.`, { maxTokens: 6 }));
      await afterTurn(turn);
    }
    await context.dispose();
    await model.dispose();
    return { modelId: lease.model.modelId, path: lease.model.primaryPath, generation: lease.model.generation, replies };
  } finally {
    lease.release();
  }
}

describe('switching the active model without a restart', () => {
  it('lets a running call finish on the old LLM while new calls get the new one', async () => {
    if (!h) return console.warn('[not run] fixtures missing');
    const { client, engine } = h;
    const models = engine.context.models;
    expect((await h.download('tiny-llm')).state).toBe('completed');
    expect((await h.download('tiny-llm-b')).state).toBe('completed');
    const first = models.active.current('llm')!;
    expect(first.modelId).toBe('tiny-llm'); // the first LLM installed became active by itself

    const switches: { role: ModelRole; modelId: string | undefined }[] = [];
    models.active.onChange((role, model) => switches.push({ role, modelId: model?.modelId }));

    let removeWhileBusy: unknown;
    const call = await simulatedCall(models, 3, async (turn) => {
      if (turn !== 0) return;
      // Mid-call: the supervisor picks another model in the console.
      const switched = await client.call('models.use', { modelId: 'tiny-llm-b' });
      expect(switched.active).toBe(true);
      removeWhileBusy = await client.call('models.remove', { modelId: 'tiny-llm' }).catch((e: unknown) => e);
      const next = await simulatedCall(models, 1);
      expect(next.modelId).toBe('tiny-llm-b');
      expect(next.generation).toBe(first.generation + 1);
    });

    expect(call.modelId).toBe('tiny-llm');
    expect(call.path).toBe(first.primaryPath);
    expect(call.replies).toHaveLength(3); // all turns answered on the model it started with
    expect(removeWhileBusy).toMatchObject({ code: 'conflict', message: expect.stringMatching(/in use by 1 call/) });
    expect(switches).toEqual([{ role: 'llm', modelId: 'tiny-llm-b' }]);

    // Once the call has ended the old model can go; the active one stays.
    await client.call('models.remove', { modelId: 'tiny-llm' });
    expect(existsSync(first.dir)).toBe(false);
    const left = await client.call('models.list', {});
    expect(left.map((m) => [m.id, m.active])).toEqual([['tiny-llm-b', true]]);
    expect(models.active.current('llm')?.modelId).toBe('tiny-llm-b');
  }, 120_000);

  it('hands the role to another installed model when the active one is removed', async () => {
    if (!h) return console.warn('[not run] fixtures missing');
    const { client, engine } = h;
    expect((await h.download('tiny-llm')).state).toBe('completed');
    await client.call('models.use', { modelId: 'tiny-llm-b' });
    await client.call('models.remove', { modelId: 'tiny-llm-b' });
    expect(engine.context.models.active.current('llm')?.modelId).toBe('tiny-llm');
    await client.call('models.remove', { modelId: 'tiny-llm' });
    expect(engine.context.models.active.current('llm')).toBeUndefined();
    expect(() => engine.context.models.active.acquire('llm')).toThrow(/No llm model is active/);
    await expect(client.call('models.use', { modelId: 'tiny-llm' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.call('models.remove', { modelId: 'tiny-llm' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
