import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { SpeechToText } from '../../../electron/engine/ports/speech';
import { importText } from '../dialer/harness';
import { tempDataDir } from '../../support/temp-dir';
import { ECHO, runSipp, sippPassed, waitFor, type SippRun } from './harness';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';

const ALL_DAY = LEGAL_ALL_WEEK;
const NUMBER = '+13125550199';

/** SIPp answers, takes our REFER to 201, reports the transfer done (NOTIFY 200), and expects our BYE. */
const REFER_UAS = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="transfer-to-person">
  <recv request="OPTIONS" optional="true" next="options" />
  <recv request="INVITE">
    <action><ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="ours" /></action>
  </recv>
  <send><![CDATA[
SIP/2.0 200 OK
${ECHO}
Contact: <sip:far@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=far 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=sendrecv
]]></send>
  <recv request="ACK" />
  <recv request="REFER">
    <action><ereg regexp="sip:201@" search_in="hdr" header="Refer-To:" check_it="true" assign_to="target" /></action>
  </recv>
  <send><![CDATA[
SIP/2.0 202 Accepted
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:far@[local_ip]:[local_port]>
X-Refer-Target: [$target]
Content-Length: 0

]]></send>
  <send retrans="500"><![CDATA[
NOTIFY sip:parley@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:far@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
To: [$ours]
Call-ID: [call_id]
CSeq: 1 NOTIFY
Contact: <sip:far@[local_ip]:[local_port]>
Max-Forwards: 70
Event: refer
Subscription-State: terminated;reason=noresource
Content-Type: message/sipfrag;version=2.0
Content-Length: [len]

SIP/2.0 200 OK
]]></send>
  <recv response="200" />
  <recv request="BYE" />
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <nop next="done" />
  <label id="options" />
  <send><![CDATA[
SIP/2.0 200 OK
${ECHO}
Content-Length: 0

]]></send>
  <label id="done" />
</scenario>`;

/** Test-only recogniser: SIPp sends no speech, and a real line needs one to place a call. */
class NothingHeard implements SpeechToText {
  readonly name = 'test recogniser (hears nothing)';
  readonly capabilities = { languages: ['en'], gpu: false };
  async transcribe(): Promise<{ text: string }> {
    return { text: '' };
  }
  async dispose(): Promise<void> {}
}

/**
 * A desk agent accepts a caller waiting for a person by putting the call through: the whole engine
 * (campaign, dialer, SIP line) sends a real REFER to SIPp, which reports the transfer done.
 */
describe('a waiting caller put through to a person over SIP (REFER to SIPp)', () => {
  const data = tempDataDir('parley-sip-transfer-');
  const events: EngineEvent[] = [];
  let far: SippRun;
  let engine: Engine;
  let client: ParleyClient;

  beforeAll(async () => {
    far = await runSipp(data.dir, 'transfer-to-person', REFER_UAS);
    engine = await createEngine({ dataDir: join(data.dir, 'parley'), host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' }, voice: { speechToText: new NothingHeard() } });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
    await importText(engine, ['name,phone,timezone', `Dana Smith,${NUMBER},${daytimeZone()}`].join('\n'));
  });
  afterAll(async () => {
    await engine?.dispose();
    far?.kill();
    data.cleanup();
  });

  it('sends the REFER to the campaign’s transfer number and ends as transferred', async () => {
    const line = await client.call('lines.create', { kind: 'sip', name: 'Office PBX', maxCalls: 2, settings: { server: '127.0.0.1', port: far.port, register: false, username: 'parley' } });
    await waitFor(() => engine.context.lines.carriers.state(line.id).status === 'ready', 10_000, `the line to be ready: ${JSON.stringify(engine.context.lines.carriers.state(line.id))}\n${far.output().slice(-3_000)}`);
    const campaign = await client.call('campaigns.create', { name: 'Spring service', lineId: line.id, disclosure: false, questions: ['Would you like to book your spring service?'], callingWindow: ALL_DAY, maxAttempts: 1, humanTransferTarget: '201' });
    await client.call('campaigns.launch', { id: campaign.id });
    const report = await engine.context.dialing.dialer.tick();
    const callId = report.placed[0]!.attemptId;
    await waitFor(() => events.some((e) => e.name === 'call.answered' && e.payload.callId === callId), 8_000, `SIPp to answer\n${far.output().slice(-2_000)}`);

    const waiting = await client.call('transfers.request', { callId, reason: 'Wants the service desk' });
    expect(waiting.canTransferTo).toBe('201');
    const result = await client.call('transfers.accept', { callId, via: 'transfer' });
    expect(result).toMatchObject({ via: 'transfer', target: '201' });
    await sippPassed(far);
    await waitFor(() => events.some((e) => e.name === 'call.concluded' && e.payload.callId === callId), 8_000, 'the call to end');
    const concluded = events.find((e) => e.name === 'call.concluded' && e.payload.callId === callId);
    expect(concluded?.payload).toMatchObject({ outcome: expect.stringMatching(/^Transferred to 201 by /) });
  }, 60_000);
});
