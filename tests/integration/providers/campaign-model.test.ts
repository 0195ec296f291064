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
  console.warn('[not run] campaign model test: espeak-ng is not installed (apt-get install espeak-ng)');
}

describe.runIf(espeak)('a campaign’s own language model, with the office’s choice behind it', () => {
  const data = tempDataDir('parley-campaign-model-');
  let office: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let own: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let engine: Engine;
  let client: ParleyClient;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    office = await startFakeOpenAi({ key: 'sk-office-1', models: ['office-model'], reply: 'Happy to help. Does Tuesday suit you?' });
    own = await startFakeOpenAi({ key: 'sk-own-2', models: ['own-model'], reply: 'Great. Would Monday work?' });
    engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
  });
  afterAll(async () => {
    await engine?.dispose();
    await office?.close();
    await own?.close();
    data.cleanup();
  });

  /** Conversation turns (streamed); the post-call analysis asks the office's model separately, not streamed. */
  const chats = (server: typeof office) => server.requests.filter((r) => r.path === '/v1/chat/completions' && (r.body as { stream?: boolean }).stream === true).length;

  /** Places the next call of the running campaign and waits for it to end. */
  async function nextCall() {
    const report = await engine.context.dialing.dialer.tick();
    expect(report.placed).toHaveLength(1);
    await engine.context.dialing.dialer.settled();
    return events.find((e) => e.name === 'call.started' && e.payload.callId === report.placed[0]!.attemptId)!.payload as { engines: { llm: string | null } };
  }

  it('uses the campaign’s model; when that provider is skipped after failures, the office’s choice takes the call', async () => {
    const officeModel = await client.call('providers.create', { role: 'llm', kind: 'openai-compatible', name: 'Office model', settings: { baseUrl: office.baseUrl, model: 'office-model' }, apiKey: 'sk-office-1' });
    await client.call('providers.use', { role: 'llm', id: officeModel.id });
    const ownModel = await client.call('providers.create', { role: 'llm', kind: 'openai-compatible', name: 'Campaign model', settings: { baseUrl: own.baseUrl, model: 'own-model' }, apiKey: 'sk-own-2' });
    await expect(client.call('campaigns.create', { name: 'Bad', llmProviderId: 'nope' })).rejects.toMatchObject({ code: 'invalid_payload' });
    for (const phone of ['+13125550501', '+13125550502']) (engine.context.voice.runtime.telephony as SimulatedTelephony).assign(phone, 'cooperative');
    await importText(engine, `name,phone,timezone\nDana Smith,+13125550501,${daytimeZone()}\nLee Wong,+13125550502,${daytimeZone()}\n`);
    const line = await client.call('lines.create', { kind: 'simulated', name: 'Rehearsal', maxCalls: 2 });
    const campaign = await client.call('campaigns.create', { name: 'Spring', companyName: 'Northside Auto', lineId: line.id, callingWindow: LEGAL_ALL_WEEK, maxAttempts: 1, maxConcurrentCalls: 1, questions: ['Would you like to book your spring service?'], llmProviderId: ownModel.id });
    await client.call('campaigns.launch', { id: campaign.id });

    const first = await nextCall();
    expect(first.engines.llm).toBe('Campaign model');
    expect(chats(own)).toBeGreaterThan(0);
    expect(chats(office)).toBe(0);

    // The campaign's provider starts failing (its key was revoked): three failures open its breaker.
    await client.call('providers.update', { id: ownModel.id, provider: { role: 'llm', kind: 'openai-compatible', name: 'Campaign model', settings: { baseUrl: own.baseUrl, model: 'own-model' }, apiKey: 'sk-revoked' } });
    for (let i = 0; i < 3; i++) expect((await client.call('providers.test', { id: ownModel.id })).ok).toBe(false);
    expect((await client.call('providers.health', {})).find((h) => h.providerId === ownModel.id)).toMatchObject({ state: 'open' });
    const ownBefore = chats(own);
    const second = await nextCall();
    expect(second.engines.llm).toBe('Office model');
    expect(chats(office)).toBeGreaterThan(0);
    expect(chats(own)).toBe(ownBefore);
  }, 150_000);
});
