import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { importText } from '../dialer/harness';
import { hasEspeak } from '../supervision/harness';
import { simulatedIncoming, testCarriers } from '../../support/lines';
import { tempDataDir } from '../../support/temp-dir';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] inbound routing test: espeak-ng is not installed (apt-get install espeak-ng)');
}

/**
 * Calls that arrive on a line (a test-double carrier whose incoming calls are simulated callers):
 * answered by the line's inbound campaign with the caller's contact context, shown on the live
 * board and stored like any call; refused as busy beyond the line's limit and as unavailable on a
 * line with no inbound campaign.
 */
describe.runIf(espeak)('inbound calls', () => {
  const data = tempDataDir('parley-inbound-');
  const carriers = testCarriers();
  let engine: Engine;
  let client: ParleyClient;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' }, carriers: carriers.factories });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
    await importText(engine, 'name,phone,company,plan\nDana Smith,+13125550101,Northside Auto,Gold\n');
  });
  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('answers with the inbound campaign, the caller known from their number, on the board and in the store', async () => {
    const campaign = await client.call('campaigns.create', { name: 'Service desk', companyName: 'Northside Auto', direction: 'inbound', questions: ['Would you like to book your spring service?'] });
    await expect(client.call('campaigns.launch', { id: campaign.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('inbound campaign') });
    const line = await client.call('lines.create', { kind: 'sip', name: 'Front desk', maxCalls: 1, inboundCampaignId: campaign.id, settings: { server: '127.0.0.1', username: 'desk' } });
    const carrier = carriers.built.at(-1)!;
    const simulated = engine.context.voice.runtime.telephony as SimulatedTelephony;

    const incoming = await simulatedIncoming(simulated, '+13125550101', 'cooperative');
    expect(carrier.ring(incoming)).toBe(true);
    await incoming.accepted;
    const live = await waitFor(() => events.find((e): e is Extract<EngineEvent, { name: 'call.live' }> => e.name === 'call.live' && e.payload.direction === 'inbound'), 'the call on the board');
    const callId = live.payload.callId;
    expect(live.payload).toMatchObject({ campaignName: 'Service desk', contactName: 'Dana Smith', phone: '+13125550101', dryRun: false });
    expect(live.payload.context).toContain('Dana Smith of Northside Auto, a known contact, is calling in');
    expect(live.payload.context).toContain('plan: Gold');

    // The line's one call is in use: a second caller hears busy.
    const second = await simulatedIncoming(simulated, '+13125550102', 'cooperative');
    carrier.ring(second);
    expect(await second.rejected).toBe('busy');
    expect((await client.call('lines.get', { id: line.id })).activeCalls).toBe(1);

    await waitFor(() => events.find((e) => e.name === 'call.ended' && e.payload.callId === callId), 'the call to end');
    const row = await engine.context.store.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirstOrThrow();
    const contact = engine.context.store.sqlite.prepare("select id from contacts where phone_e164 = '+13125550101'").pluck().get();
    expect(row).toMatchObject({ direction: 'inbound', campaign_id: campaign.id, contact_id: contact, line_id: line.id, dry_run: 0, outcome: 'completed' });
    const turns = await engine.context.store.db.selectFrom('transcript_turns').select(['speaker', 'text']).where('call_id', '=', callId).orderBy('seq').execute();
    expect(turns[0]).toMatchObject({ speaker: 'agent', text: expect.stringMatching(/^Hello Dana, thank you for calling Northside Auto\./) });
    expect(turns.filter((t) => t.speaker === 'caller').length).toBeGreaterThan(0);
    expect((await client.call('lines.get', { id: line.id })).activeCalls).toBe(0);

    // A caller who is not a contact is answered too, and the agent is told so.
    const stranger = await simulatedIncoming(simulated, '+13125550177', 'cooperative');
    carrier.ring(stranger);
    const unknown = await waitFor(() => events.find((e): e is Extract<EngineEvent, { name: 'call.live' }> => e.name === 'call.live' && e.payload.phone === '+13125550177'), 'the unknown caller on the board');
    expect(unknown.payload).toMatchObject({ direction: 'inbound', contactId: null, context: 'The caller (+13125550177) is not among the contacts; ask who they are if it matters.' });
    await waitFor(() => events.find((e) => e.name === 'call.answered' && e.payload.callId === unknown.payload.callId), 'the unknown caller to be answered');
    await client.call('supervision.endCall', { callId: unknown.payload.callId });
    await waitFor(() => events.find((e) => e.name === 'call.ended' && e.payload.callId === unknown.payload.callId), 'the unknown caller’s call to end');
  }, 120_000);

  it('refuses a call on a line that has no inbound campaign', async () => {
    await client.call('lines.create', { kind: 'sip', name: 'Outbound only', settings: { server: '127.0.0.1', username: 'out' } });
    const incoming = await simulatedIncoming(engine.context.voice.runtime.telephony as SimulatedTelephony, '+13125550103', 'cooperative');
    carriers.built.at(-1)!.ring(incoming);
    expect(await incoming.rejected).toBe('unavailable');
  });
});

async function waitFor<T>(find: () => T | undefined, what: string, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
