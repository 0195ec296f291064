import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { SpeechToText } from '../../../electron/engine/ports/speech';
import type { SipTelephony } from '../../../electron/engine/telephony/sip/sip-telephony';
import { importText } from '../dialer/harness';
import { tempDataDir } from '../../support/temp-dir';
import { okResponder, runSipp, sippPassed, waitFor } from './harness';
import { inDialog, invite, offer, scenario } from './sipp-scenarios';

/** Test-only recogniser: the caller says nothing it needs to understand (it never ships as recognition). */
const hearsNoWords: SpeechToText = {
  name: 'test recogniser (hears no words)',
  capabilities: { languages: ['en'], gpu: false },
  transcribe: async () => ({ text: '' }),
  dispose: async () => undefined,
};

/**
 * An inbound call through the whole engine: SIPp calls a SIP line whose inbound campaign answers;
 * the caller is a known contact, the call is stored as inbound with that contact, and the agent
 * speaks first.
 */
describe('an inbound SIP call answered by the line’s inbound campaign', () => {
  const data = tempDataDir('parley-sip-inbound-');
  const events: EngineEvent[] = [];
  let registrar: Awaited<ReturnType<typeof okResponder>>;
  let engine: Engine;
  let client: ParleyClient;

  beforeAll(async () => {
    registrar = await okResponder();
    engine = await createEngine({ dataDir: join(data.dir, 'parley'), host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' }, voice: { speechToText: hearsNoWords } });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
    await importText(engine, ['name,phone', 'Dana Smith,+13125550101'].join('\n'));
  });
  afterAll(async () => {
    await engine?.dispose();
    await registrar?.close();
    data.cleanup();
  });

  it('answers, knows the caller, speaks first and stores the call as inbound', async () => {
    const campaign = await client.call('campaigns.create', { name: 'Service desk', direction: 'inbound', disclosure: false, questions: ['How can we help you today?'] });
    const line = await client.call('lines.create', { kind: 'sip', name: 'Office PBX', maxCalls: 2, inboundCampaignId: campaign.id, settings: { server: '127.0.0.1', port: registrar.port, username: 'parley' } });
    await waitFor(() => engine.context.lines.carriers.state(line.id).status === 'ready', 8_000, 'the line to register');
    const sip = engine.context.lines.carriers.lineFor(line.id)!.telephony as SipTelephony;

    const name = 'inbound-campaign';
    const far = await runSipp(data.dir, name, scenario(name, `
${invite(offer([0]), '').replace(/\+15557654321/g, '+13125550101')}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="200" rtd="true" />
${inDialog('ACK', 1).replace(/\+15557654321/g, '+13125550101')}
  <pause milliseconds="4000" />
${inDialog('BYE', 2).replace(/\+15557654321/g, '+13125550101')}
  <recv response="200" />`), { target: `127.0.0.1:${sip.localPort}`, extra: ['-s', '100'] });
    try {
      await sippPassed(far, 15_000);
    } finally {
      far.kill();
    }
    await waitFor(() => events.some((e) => e.name === 'call.ended'), 10_000, 'the call to end');
    const started = events.find((e) => e.name === 'call.started');
    const contact = engine.context.store.sqlite.prepare('select id from contacts where phone_e164 = ?').pluck().get('+13125550101');
    expect(started?.payload).toMatchObject({ campaignId: campaign.id, contactId: contact });
    const callId = (started!.payload as { callId: string }).callId;
    const call = await engine.context.store.db.selectFrom('calls').select(['direction', 'contact_id', 'line_id', 'dry_run']).where('id', '=', callId).executeTakeFirstOrThrow();
    expect(call).toEqual({ direction: 'inbound', contact_id: contact, line_id: line.id, dry_run: 0 });
    // The agent spoke first (its opening), before the caller hung up.
    expect(events.some((e) => e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'agent')).toBe(true);
  }, 60_000);
});
