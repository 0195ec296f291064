import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { importText } from '../dialer/harness';
import { hasEspeak } from '../supervision/harness';
import { startFakeOpenAi } from '../../support/fake-openai';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';
import { tempDataDir } from '../../support/temp-dir';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] providers test: espeak-ng is not installed (apt-get install espeak-ng)');
}
const KEY = 'sk-office-4f8a2c91d7e3b5';
const REPLY = 'Hello, this is Ava from Northside Auto. Is now a good time to talk about your service?';

describe.runIf(espeak)('providers', () => {
  const data = tempDataDir('parley-providers-');
  let server: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let engine: Engine;
  let client: ParleyClient;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    server = await startFakeOpenAi({ key: KEY, models: ['llama3.2:3b', 'qwen2.5:7b'], reply: REPLY });
    engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
  });
  afterAll(async () => {
    await engine?.dispose();
    await server?.close();
    data.cleanup();
  });

  it('adds an OpenAI-compatible server with its model list, tests it for real, and never shows or stores the key in clear', async () => {
    expect(await client.call('providers.models', { baseUrl: server.baseUrl, apiKey: KEY })).toEqual(['llama3.2:3b', 'qwen2.5:7b']);
    const provider = await client.call('providers.create', { role: 'llm', kind: 'openai-compatible', name: 'Office Ollama', settings: { baseUrl: server.baseUrl, model: 'llama3.2:3b' }, prices: { inputPerMillionTokens: 0.5, outputPerMillionTokens: 1.5 }, apiKey: KEY });
    expect(provider).toMatchObject({ role: 'llm', kind: 'openai-compatible', hasKey: true, active: false, settings: { model: 'llama3.2:3b' } });
    expect(JSON.stringify(await client.call('providers.list', {}))).not.toContain(KEY);
    expect(await client.call('providers.models', { id: provider.id })).toEqual(['llama3.2:3b', 'qwen2.5:7b']);

    const test = await client.call('providers.test', { id: provider.id });
    expect(test).toMatchObject({ ok: true, latencyMs: expect.any(Number), message: expect.stringContaining('Office Ollama answered') });
    expect(server.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', headers: { authorization: `Bearer ${KEY}` }, body: { model: 'llama3.2:3b' } });

    // A wrong key: the server echoes it; Parley's answer does not.
    const wrong = await client.call('providers.create', { role: 'llm', kind: 'openai-compatible', name: 'Typo', settings: { baseUrl: server.baseUrl, model: 'x' }, apiKey: 'sk-wrong-key-0000' });
    const failed = await client.call('providers.test', { id: wrong.id });
    expect(failed.ok).toBe(false);
    expect(failed.message).not.toContain('sk-wrong-key-0000');

    for (const file of ['parley.db', 'parley.db-wal']) {
      const bytes = (() => {
        try {
          return readFileSync(join(data.dir, file));
        } catch {
          return Buffer.alloc(0);
        }
      })();
      expect(bytes.includes(KEY), file).toBe(false);
    }
    const audit = JSON.stringify(await client.call('audit.list', { limit: 50 }));
    expect(audit).toContain(`provider:${provider.id}`);
    expect(audit).not.toContain(KEY);
  });

  it('refuses what cannot work: a voice from a chat server, a missing model, removing the provider in use', async () => {
    await expect(client.call('providers.create', { role: 'tts', kind: 'openai-compatible', name: 'x', settings: { baseUrl: server.baseUrl, model: 'm' } })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(client.call('providers.create', { role: 'llm', kind: 'openai-compatible', name: 'x', settings: { baseUrl: server.baseUrl } })).rejects.toMatchObject({ code: 'invalid_payload', message: 'Choose a model' });
    const [ollama] = (await client.call('providers.list', {})).filter((p) => p.name === 'Office Ollama');
    await client.call('providers.use', { role: 'llm', id: ollama!.id });
    await expect(client.call('providers.remove', { id: ollama!.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a dry-run call placed after choosing it talks through the chosen server', async () => {
    const chosen = (await client.call('providers.list', {})).find((p) => p.active)!;
    expect(chosen.name).toBe('Office Ollama');
    const status = await client.call('voice.status', {});
    expect(JSON.stringify(status)).toContain('Office Ollama');

    const phone = '+13125550101';
    (engine.context.voice.runtime.telephony as SimulatedTelephony).assign(phone, 'cooperative');
    await importText(engine, `name,phone,timezone\nDana Smith,${phone},${daytimeZone()}\n`);
    const line = await client.call('lines.create', { kind: 'simulated', name: 'Rehearsal', maxCalls: 1 });
    const campaign = await client.call('campaigns.create', { name: 'Winter service', companyName: 'Northside Auto', lineId: line.id, callingWindow: LEGAL_ALL_WEEK, maxAttempts: 1 });
    await client.call('campaigns.launch', { id: campaign.id });
    const before = server.requests.length;
    const report = await engine.context.dialing.dialer.tick();
    expect(report.placed).toHaveLength(1);
    const callId = report.placed[0]!.attemptId;
    const until = Date.now() + 30_000;
    while (!server.requests.slice(before).some((r) => r.path === '/v1/chat/completions') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    const started = events.find((e) => e.name === 'call.started' && e.payload.callId === callId);
    expect(started?.payload).toMatchObject({ agent: 'llm', engines: { llm: 'Office Ollama' } });
    const chat = server.requests.slice(before).find((r) => r.path === '/v1/chat/completions')!;
    expect(chat.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(chat.body)).toContain('Northside Auto');
    await client.call('supervision.endCall', { callId }).catch(() => undefined);
    await engine.context.dialing.dialer.settled();

    // Back to local models: new calls no longer use the server.
    await client.call('providers.use', { role: 'llm', id: null });
    expect((await client.call('providers.list', {})).some((p) => p.active)).toBe(false);
    expect(JSON.stringify(await client.call('voice.status', {}))).not.toContain('Office Ollama');
  }, 60_000);
});
