import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ParleyClient } from '../../../electron/contracts';
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
  console.warn('[not run] costs test: espeak-ng is not installed (apt-get install espeak-ng)');
}
const KEY = 'sk-costs-31b7';

interface CostRow {
  item: string;
  unit: string;
  quantity: number;
  amount_usd: number;
  provider_id: string | null;
}

describe.runIf(espeak)('measured call costs', () => {
  const data = tempDataDir('parley-costs-');
  let server: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let engine: Engine;
  let client: ParleyClient;

  beforeAll(async () => {
    // Every reply reports 120 prompt tokens and 9 completion tokens.
    server = await startFakeOpenAi({ key: KEY, models: ['m'], reply: 'Thanks. Would Tuesday morning suit you?' });
    engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
    client = createClient(engine.transport());
  });
  afterAll(async () => {
    await engine?.dispose();
    await server?.close();
    data.cleanup();
  });

  async function callOnce(phone: string, person: string, campaignName: string, lineId: string) {
    (engine.context.voice.runtime.telephony as SimulatedTelephony).assign(phone, 'cooperative');
    await importText(engine, `name,phone,timezone\n${person},${phone},${daytimeZone()}\n`);
    const campaign = await client.call('campaigns.create', { name: campaignName, companyName: 'Northside Auto', questions: ['Would you like to book your winter service?', 'Which day suits you?'], lineId, callingWindow: LEGAL_ALL_WEEK, maxAttempts: 1, segmentId: null });
    await client.call('campaigns.launch', { id: campaign.id });
    const report = await engine.context.dialing.dialer.tick();
    const callId = report.placed.find((p) => engine.context.store.sqlite.prepare('select phone_e164 from contacts where id = ?').pluck().get(p.contactId) === phone)!.attemptId;
    await engine.context.dialing.dialer.settled();
    const rows = engine.context.store.sqlite.prepare('select item, unit, quantity, amount_usd, provider_id from call_costs where call_id = ? order by item').all(callId) as CostRow[];
    return { campaign, callId, rows };
  }

  it('records tokens at the provider’s prices and the line’s answered minutes at its rate; the dashboard shows the totals', async () => {
    const ollama = await client.call('providers.create', { role: 'llm', kind: 'openai-compatible', name: 'Office Ollama', settings: { baseUrl: server.baseUrl, model: 'm' }, prices: { inputPerMillionTokens: 0.5, outputPerMillionTokens: 1.5 }, apiKey: KEY });
    await client.call('providers.use', { role: 'llm', id: ollama.id });
    const line = await client.call('lines.create', { kind: 'simulated', name: 'Rehearsal', maxCalls: 2, ratePerMinuteUsd: 0.6 });
    expect(line.ratePerMinuteUsd).toBe(0.6);
    const before = server.requests.length;
    const { campaign, rows } = await callOnce('+13125550401', 'Dana Smith', 'Priced', line.id);
    const replies = server.requests.slice(before).filter((r) => r.path === '/v1/chat/completions').length;
    expect(replies).toBeGreaterThan(0);

    const input = rows.find((r) => r.unit === 'input-tokens')!;
    const output = rows.find((r) => r.unit === 'output-tokens')!;
    expect(input).toMatchObject({ item: 'llm:Office Ollama:input-tokens', quantity: 120 * replies, provider_id: ollama.id });
    expect(input.amount_usd).toBeCloseTo((120 * replies * 0.5) / 1_000_000, 12);
    expect(output).toMatchObject({ quantity: 9 * replies });
    expect(output.amount_usd).toBeCloseTo((9 * replies * 1.5) / 1_000_000, 12);
    const lineRow = rows.find((r) => r.unit === 'line-seconds')!;
    expect(lineRow.item).toBe('line:Rehearsal:line-seconds');
    expect(lineRow.quantity).toBeGreaterThan(1);
    expect(lineRow.amount_usd).toBeCloseTo((lineRow.quantity / 60) * 0.6, 9);

    const total = rows.reduce((sum, r) => sum + r.amount_usd, 0);
    const dashboard = await client.call('analytics.dashboard', { campaignId: campaign.id });
    expect(dashboard.cost).toMatchObject({ calls: 1, perReachedUsd: expect.any(Number) });
    expect(dashboard.cost!.totalUsd).toBeCloseTo(total, 4);
  }, 120_000);

  it('a call on local engines records its line time and nothing for models that cost nothing', async () => {
    await client.call('providers.use', { role: 'llm', id: null });
    const line = await client.call('lines.create', { kind: 'simulated', name: 'Unpriced', maxCalls: 2 });
    const { rows } = await callOnce('+13125550402', 'Lee Wong', 'Local', line.id);
    expect(rows.map((r) => r.unit)).toEqual(['line-seconds']);
    expect(rows[0]!.amount_usd).toBe(0);
  }, 120_000);
});
