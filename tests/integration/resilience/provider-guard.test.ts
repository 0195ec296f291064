import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type OfficeAlert } from '../../../electron/contracts';
import { createEngine } from '../../../electron/engine';
import { createOpenAiCompatibleLanguageModel } from '../../../electron/engine/adapters/llm/openai-compatible';
import { ProviderGuard } from '../../../electron/engine/adapters/resilience/provider-guard';
import type { LanguageModel } from '../../../electron/engine/ports/llm';
import { tempDataDir } from '../../support/temp-dir';

type Mode = { kind: 'ok' } | { kind: 'status'; status: number; retryAfter?: string } | { kind: 'stall' } | { kind: 'slow-ok'; ms: number };

/** An OpenAI-compatible server whose behaviour the test switches: healthy, failing, throttling, stalling. */
async function switchableServer() {
  let mode: Mode = { kind: 'ok' };
  const hits: number[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(Date.now());
      const ok = () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'OK' } }] })}\n\n`);
        res.end('data: [DONE]\n\n');
      };
      if (mode.kind === 'ok') return ok();
      if (mode.kind === 'slow-ok') return void setTimeout(ok, mode.ms);
      if (mode.kind === 'stall') return; // never answers
      res.writeHead(mode.status, { 'content-type': 'application/json', ...(mode.retryAfter ? { 'retry-after': mode.retryAfter } : {}) }).end(JSON.stringify({ error: { message: `status ${mode.status}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    hits,
    set: (next: Mode) => (mode = next),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function ask(llm: LanguageModel, signal?: AbortSignal): Promise<string> {
  const conversation = await llm.startConversation({ systemPrompt: 'x' });
  let text = '';
  for await (const chunk of conversation.reply({ user: 'hi' }, { signal })) if (chunk.type === 'text') text += chunk.text;
  return text;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function guarded(options: { coolDownMs?: number; timeoutMs?: number } = {}) {
  const server = await switchableServer();
  const guard = new ProviderGuard('p1', 'Test LLM', { threshold: 3, coolDownMs: options.coolDownMs ?? 400, minRetryBudgetMs: 100 });
  const llm = await createOpenAiCompatibleLanguageModel({ baseUrl: server.url, model: 'm', serviceName: 'Test LLM', timeoutMs: options.timeoutMs ?? 2_000, idleTimeoutMs: 2_000, guard });
  cleanups.push(() => server.close(), () => llm.dispose());
  return { server, guard, llm };
}

describe('provider breakers', () => {
  it('opens after three failures: later requests never reach the dead server; after the cool-down one probe brings it back', async () => {
    const { server, guard, llm } = await guarded();
    const changes: boolean[] = [];
    guard.onChange((healthy) => changes.push(healthy));
    server.set({ kind: 'status', status: 500 });
    // Each failing turn is tried twice (a 500 is retried once within the budget): 2 turns = 4 failures >= 3.
    await expect(ask(llm)).rejects.toThrow(/failed \(500\)/);
    await expect(ask(llm)).rejects.toThrow();
    expect(guard.health().state).toBe('open');
    expect(changes).toEqual([false]);
    const before = server.hits.length;
    const started = Date.now();
    await expect(ask(llm)).rejects.toThrow(/skipped for now/);
    expect(Date.now() - started).toBeLessThan(50); // refused at once, no timeout paid
    expect(server.hits.length).toBe(before);
    expect(guard.available()).toBe(false);

    server.set({ kind: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(guard.available()).toBe(true); // the probe may go
    expect(await ask(llm)).toBe('OK');
    expect(guard.health().state).toBe('closed');
    expect(changes).toEqual([false, true]);
  });

  it('a 500 is retried once within the turn; a stall is not retried (the budget is spent)', async () => {
    const { server, llm } = await guarded({ timeoutMs: 300 });
    server.set({ kind: 'status', status: 503 });
    const before = server.hits.length;
    await expect(ask(llm)).rejects.toThrow();
    expect(server.hits.length - before).toBe(2);
    server.set({ kind: 'stall' });
    const stallStart = server.hits.length;
    await expect(ask(llm)).rejects.toThrow(/within 300 ms/);
    expect(server.hits.length - stallStart).toBe(1);
  });

  it('honours a 429’s Retry-After without counting it as a failure', async () => {
    const { server, guard, llm } = await guarded();
    server.set({ kind: 'status', status: 429, retryAfter: '1' });
    await expect(ask(llm)).rejects.toThrow(/slow down/);
    expect(guard.health()).toMatchObject({ state: 'throttled', failures: 0 });
    server.set({ kind: 'ok' });
    const hits = server.hits.length;
    await expect(ask(llm)).rejects.toThrow(/asked to slow down/);
    expect(server.hits.length).toBe(hits); // nothing sent before Retry-After
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await ask(llm)).toBe('OK');
  });

  it('a caller’s own cancel (barge-in) is not a failure', async () => {
    const { server, guard, llm } = await guarded();
    server.set({ kind: 'slow-ok', ms: 300 });
    for (let i = 0; i < 4; i++) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      await ask(llm, controller.signal).catch(() => undefined);
    }
    expect(guard.health()).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('the engine raises provider-down once when a provider’s breaker opens, shows it in providers.health, and provider-restored when it answers again', async () => {
    const server = await switchableServer();
    const data = tempDataDir('parley-breaker-');
    const engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' }, providers: { guard: { threshold: 3, coolDownMs: 300 } } });
    cleanups.push(() => server.close(), data.cleanup, () => engine.dispose());
    const client = createClient(engine.transport());
    const events: EngineEvent[] = [];
    client.onAny((e) => events.push(e));
    const provider = await client.call('providers.create', { role: 'llm', kind: 'openai-compatible', name: 'Flaky API', settings: { baseUrl: server.url, model: 'm' }, apiKey: 'sk-flaky-7788' });
    server.set({ kind: 'status', status: 502 });
    for (let i = 0; i < 3; i++) expect((await client.call('providers.test', { id: provider.id })).ok).toBe(false);
    const alerts = () => events.filter((e) => e.name === 'office.alert').map((e) => e.payload as OfficeAlert);
    expect(alerts().filter((a) => a.kind === 'provider-down')).toHaveLength(1);
    expect(alerts()[0]).toMatchObject({ providerId: provider.id, message: expect.stringContaining('Flaky API keeps failing') });
    expect(JSON.stringify(alerts())).not.toContain('sk-flaky-7788');
    expect(await client.call('providers.health', {})).toEqual([expect.objectContaining({ providerId: provider.id, state: 'open' })]);

    server.set({ kind: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await client.call('providers.test', { id: provider.id })).ok).toBe(true);
    expect(alerts().filter((a) => a.kind === 'provider-restored')).toHaveLength(1);
    expect((await client.call('providers.health', {}))[0]).toMatchObject({ state: 'closed' });
  });
});
