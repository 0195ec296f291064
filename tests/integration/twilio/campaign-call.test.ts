import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { resample } from '../../../electron/engine/audio/resample';
import { decodeWav } from '../../../electron/engine/audio/wav';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';
import { tempDataDir } from '../../support/temp-dir';
import { ScriptRecogniser } from '../../support/script-recogniser';
import { importText } from '../dialer/harness';
import { waitFor } from '../sip/harness';
import { ACCOUNT_SID, AUTH_TOKEN, freePort, NUMBER } from './support/line';


function speech(text: string): Int16Array {
  const out = spawnSync('espeak-ng', ['--stdout', '-v', 'en-us', text], { maxBuffer: 20_000_000 });
  if (out.status !== 0) throw new Error(`espeak-ng failed: ${out.stderr.toString()}`);
  const wav = decodeWav(new Uint8Array(out.stdout));
  return resample(wav.samples, wav.sampleRate, 8_000);
}

const loudFrames = (frames: Array<{ samples: Int16Array }>) => frames.filter((f) => Math.sqrt(f.samples.reduce((s, v) => s + v * v, 0) / f.samples.length) > 300).length;

/**
 * A campaign on a Twilio line, through the whole engine: dialer -> Twilio REST (the fake) -> status
 * callbacks and the machine verdict -> Media Streams with an espeak-ng caller -> the agent talks,
 * hears and ends the call through REST; a machine gets the voicemail message.
 */
describe('a campaign on a Twilio line', () => {
  const data = tempDataDir('parley-twilio-campaign-');
  const recogniser = new ScriptRecogniser();
  const events: EngineEvent[] = [];
  let fake: FakeTwilio;
  let engine: Engine;
  let client: ParleyClient;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, numbers: [NUMBER] });
    engine = await createEngine({ dataDir: join(data.dir, 'parley'), host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' }, voice: { speechToText: recogniser } });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
    await importText(engine, ['name,phone,timezone', `Dana Smith,+13125550101,${daytimeZone()}`, `Pat Jones,+13125550102,${daytimeZone()}`].join('\n'));
  });
  afterAll(async () => {
    await engine?.dispose();
    await fake?.close();
    data.cleanup();
  });

  it('places, hears, speaks and hangs up through REST; a machine gets the message', async () => {
    const port = await freePort();
    const line = await client.call('lines.create', {
      kind: 'twilio',
      name: 'Twilio',
      maxCalls: 1,
      settings: { accountSid: ACCOUNT_SID, numbers: [NUMBER], webhookPort: port, publicBaseUrl: `http://127.0.0.1:${port}`, apiBaseUrl: fake.url },
      password: AUTH_TOKEN,
    });
    expect(line.hasSecret).toBe(true);
    expect(JSON.stringify(line)).not.toContain(AUTH_TOKEN);
    await waitFor(() => engine.context.lines.carriers.state(line.id).status === 'ready', 8_000, `the line to be ready: ${JSON.stringify(engine.context.lines.carriers.state(line.id))}`);
    const campaign = await client.call('campaigns.create', { name: 'Spring service', lineId: line.id, disclosure: false, questions: ['Would you like to book your spring service?'], callingWindow: LEGAL_ALL_WEEK, maxAttempts: 1 });
    await client.call('campaigns.launch', { id: campaign.id });

    fake.behaviour.callerAudio = new Int16Array([...new Int16Array(8_000 * 0.3), ...speech('Hello?'), ...new Int16Array(8_000 * 5), ...speech('Yes, I would like to book the spring service.')]);
    const first = await engine.context.dialing.dialer.tick();
    expect(first.placed).toHaveLength(1);
    const callId = first.placed[0]!.attemptId;
    await waitFor(() => events.some((e) => e.name === 'call.answered' && e.payload.callId === callId), 10_000, 'the call to be answered');
    expect(events.find((e) => e.name === 'call.answered' && e.payload.callId === callId)?.payload).toMatchObject({ by: 'human' });
    await waitFor(() => events.some((e) => e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'caller'), 30_000, 'a caller turn');
    await waitFor(() => events.some((e) => e.name === 'call.ended' && e.payload.callId === callId), 40_000, 'the call to end');
    const human = [...fake.calls.values()][0]!;
    expect(human).toMatchObject({ to: '+13125550101', from: NUMBER });
    expect(loudFrames(human.received)).toBeGreaterThan(100); // seconds of the agent's voice reached the caller
    await waitFor(() => human.endedBy !== undefined, 5_000, 'the Twilio call to end');
    expect(human.endedBy).toBe('rest'); // the agent ended it, through the REST API
    expect(human.restUpdates).toEqual([{ Status: 'completed' }]);
    const stored = await engine.context.store.db.selectFrom('calls').select(['dry_run', 'line_id', 'state']).where('id', '=', callId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ dry_run: 0, line_id: line.id, state: 'ended' });

    fake.behaviour.answer = 'machine';
    fake.behaviour.callerAudio = speech('Hi, you have reached Pat. Please leave a message after the tone.');
    const second = await engine.context.dialing.dialer.tick();
    expect(second.placed).toHaveLength(1);
    const machineCall = second.placed[0]!.attemptId;
    await waitFor(() => events.some((e) => e.name === 'call.ended' && e.payload.callId === machineCall), 60_000, 'the machine call to end');
    const ended = events.find((e) => e.name === 'call.ended' && e.payload.callId === machineCall);
    expect(ended?.payload).toMatchObject({ outcome: 'voicemail' });
    expect(String((ended?.payload as { detail?: string } | undefined)?.detail)).toMatch(/answered by a machine, decided by the carrier/);
    const machine = [...fake.calls.values()][1]!;
    expect(loudFrames(machine.received)).toBeGreaterThan(50); // the voicemail message was spoken
    await waitFor(() => machine.endedBy !== undefined, 5_000, 'the Twilio call to end');
    expect(machine.endedBy).toBe('rest');
    expect(fake.violations).toEqual([]);
  }, 150_000);

  it('answers a call to the line\'s number with its inbound campaign, knows the caller, speaks first, and ends when the caller hangs up', async () => {
    const line = (await client.call('lines.list', {})).find((l) => l.kind === 'twilio')!;
    const campaign = await client.call('campaigns.create', { name: 'Service desk', direction: 'inbound', disclosure: false, questions: ['How can we help you today?'] });
    await client.call('lines.update', { id: line.id, line: { kind: 'twilio', name: line.name, maxCalls: 1, inboundCampaignId: campaign.id, settings: line.settings as { accountSid: string } } });
    await waitFor(() => engine.context.lines.carriers.state(line.id).status === 'ready', 8_000, 'the line to be ready again');
    fake.behaviour.callerAudio = new Int16Array(0);
    const before = events.length;
    const { call, status } = await fake.callIn('+13125550101', NUMBER);
    expect(status).toBe(200);
    await waitFor(() => loudFrames(call.received) > 25, 20_000, 'the agent to speak first');
    const started = events.slice(before).find((e) => e.name === 'call.started');
    const contact = engine.context.store.sqlite.prepare('select id from contacts where phone_e164 = ?').pluck().get('+13125550101');
    expect(started?.payload).toMatchObject({ campaignId: campaign.id, contactId: contact });
    await fake.hangUp(call.sid);
    const callId = (started!.payload as { callId: string }).callId;
    await waitFor(() => events.some((e) => e.name === 'call.ended' && e.payload.callId === callId), 10_000, 'the call to end');
    const stored = await engine.context.store.db.selectFrom('calls').select(['direction', 'line_id', 'dry_run']).where('id', '=', callId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ direction: 'inbound', line_id: line.id, dry_run: 0 });
    expect(call.restUpdates).toEqual([]); // the caller ended it: nothing for Parley to end
  }, 60_000);
});
