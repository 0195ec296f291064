import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../../../electron/engine';
import { createLlamaLanguageModel } from '../../../electron/engine/adapters/llm/llama';
import { ContactContexts } from '../../../electron/engine/dialer/contact-context';
import type { LanguageModel } from '../../../electron/engine/ports/llm';
import { fixture } from '../../support/fixtures';
import { addTestLine, testCarriers } from '../../support/lines';
import { tempDataDir } from '../../support/temp-dir';
import { importText, TestLauncher } from './harness';
import pino from 'pino';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A language model test double: answers JSON from the facts in the prompt, or fails when told. */
function fakeModel(behaviour: 'answer' | 'fail' | 'garbage'): LanguageModel & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    name: 'fake',
    capabilities: { toolCalls: false, jsonSchema: true, gpu: false },
    prompts,
    startConversation: () => Promise.reject(new Error('not used')),
    async completeJson(prompt) {
      prompts.push(prompt);
      if (behaviour === 'fail') throw new Error('model crashed');
      if (behaviour === 'garbage') return { nope: 1 };
      const name = /You are calling ([^.]+?) (?:of|for)/.exec(prompt)?.[1] ?? 'someone';
      return { context: `  ${name} renews soon and likes short calls.  ` };
    },
    dispose: async () => undefined,
  };
}

async function engineWith(model: LanguageModel) {
  const data = tempDataDir('parley-context-');
  const launcher = new TestLauncher();
  const clock = new ManualClock(Date.parse('2026-01-06T18:00:00Z'));
  const engine = await createEngine({ dataDir: data.dir, clock, host: 'test', logLevel: 'silent', callLauncher: launcher, contextModel: model, dialer: { mode: 'manual' }, carriers: testCarriers().factories });
  cleanups.push(data.cleanup, () => engine.dispose());
  await addTestLine(engine);
  await importText(engine, 'name,phone,plan\nDana Smith,212-555-0101,Gold\nLee Wong,212-555-0102,Silver\nAmara Okafor,212-555-0103,Gold\n');
  const created = await engine.invoke('campaigns.create', { name: 'Renewals', maxConcurrentCalls: 1 });
  const campaignId = (created as { ok: true; result: { id: string } }).result.id;
  await engine.invoke('campaigns.launch', { id: campaignId });
  return { engine, launcher, campaignId };
}

describe('personalised context', () => {
  it('uses the template at once, then model-written context prepared while earlier calls run, cached per contact and campaign', async () => {
    const model = fakeModel('answer');
    const { engine, launcher, campaignId } = await engineWith(model);
    const { dialer, contexts } = engine.context.dialing;
    await dialer.tick();
    expect(launcher.requests[0]!.brief!.contactContext).toMatch(/^You are calling Dana Smith for the campaign "Renewals"\. .*This is the first call to them\. What we know: plan: Gold\./);
    await contexts.idle();
    expect(model.prompts.length).toBeGreaterThan(0);
    expect(model.prompts[0]).toContain('Use only the facts below');
    launcher.endAll('completed');
    await dialer.settled();
    await dialer.tick();
    expect(launcher.requests[1]!.brief!.contactContext).toBe('Lee Wong renews soon and likes short calls.');
    const cached = engine.context.store.sqlite.prepare('select source, count(*) as n from contact_contexts where campaign_id = ? group by source').all(campaignId);
    expect(cached).toEqual([{ source: 'model', n: 2 }]);
  });

  it('keeps the template when the model fails or answers something else', async () => {
    for (const behaviour of ['fail', 'garbage'] as const) {
      const { engine, launcher } = await engineWith(fakeModel(behaviour));
      const { dialer, contexts } = engine.context.dialing;
      await dialer.tick();
      await contexts.idle();
      launcher.endAll('completed');
      await dialer.settled();
      await dialer.tick();
      expect(launcher.requests[1]!.brief!.contactContext).toMatch(/^You are calling Lee Wong/);
    }
  });

  const gguf = fixture('models/llama-2-tiny-random.gguf');
  it.runIf(Boolean(gguf))('writes and caches a context with a real local model (tiny GGUF, grammar-constrained JSON)', async () => {
    const model = await createLlamaLanguageModel({ modelPath: gguf!, threads: 2, gpu: false, contextSize: 1024, maxConversations: 1, maxReplyTokens: 48 });
    const data = tempDataDir('parley-context-llama-');
    cleanups.push(data.cleanup, () => model.dispose());
    const { openStore } = await import('../../../electron/engine/storage/database');
    const store = await openStore(data.dir);
    cleanups.push(() => store.dispose());
    store.sqlite.prepare("insert into contacts (id, name, phone_e164, custom, created_at, updated_at) values ('c1', 'Dana Smith', '+12125550101', '{}', 0, 0)").run();
    const contexts = new ContactContexts(store.sqlite, { clock: { now: () => 1 }, logger: pino({ level: 'silent' }), model });
    const contact = { name: 'Dana Smith', company: 'Acme', email: null, timezone: 'America/New_York', tags: [], custom: { plan: 'Gold' } };
    contexts.prefetch({ id: 'k1', name: 'Renewals' }, 'c1', contact, { attempts: 0, lastOutcome: null, lastAttemptAt: null });
    await contexts.idle();
    const text = contexts.contextFor({ id: 'k1', name: 'Renewals' }, 'c1', contact, { attempts: 0, lastOutcome: null, lastAttemptAt: null });
    const row = store.sqlite.prepare("select source, text from contact_contexts where campaign_id = 'k1' and contact_id = 'c1'").get() as { source: string; text: string } | undefined;
    // Random weights write gibberish, but it is a string the grammar produced, stored and reused.
    expect(row).toMatchObject({ source: 'model' });
    expect(text).toBe(row!.text);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(400);
    await contexts.dispose();
  }, 120_000);
});
