import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rms } from '../../../electron/engine/audio/pcm';
import type { SipLeg } from '../../../electron/engine/telephony/sip/sip-leg';
import { tempDataDir } from '../../support/temp-dir';
import { ECHO, lineConfig, makeLine, recordEvents, rtpTone, runSipp, sippPassed, udpSocket, waitFor, type SippRun } from './harness';

/** Outbound calls from a line to SIPp acting as the far end (uas scenarios written here). */

/** A uas scenario; the line's OPTIONS check (its own call in SIPp) is answered and ends at once. */
const scenario = (name: string, body: string) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="${name}">
  <recv request="OPTIONS" optional="true" next="options" />
${body}
  <nop next="done" />
  <label id="options" />
${respond('200 OK', { contact: false })}
  <label id="done" />
</scenario>`;

const sdp = (payload: number, direction = 'sendrecv') => `v=0
o=far 1 [cseq] IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP ${payload} 101
a=rtpmap:${payload} ${payload === 8 ? 'PCMA' : 'PCMU'}/8000
a=rtpmap:101 telephone-event/8000
a=${direction}`;

function respond(status: string, options: { contact?: boolean; body?: string; headers?: string; inDialog?: boolean } = {}): string {
  // Inside the dialog the request's To already has SIPp's tag.
  const echo = options.inDialog ? '[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]' : ECHO;
  return `  <send><![CDATA[
SIP/2.0 ${status}
${echo}
${options.contact === false ? '' : 'Contact: <sip:far@[local_ip]:[local_port]>\n'}${options.headers ?? ''}${options.body ? 'Content-Type: application/sdp\n' : ''}Content-Length: [len]

${options.body ?? ''}
]]></send>`;
}

/** A request SIPp sends inside the dialog it answered (to our Contact, with our tag in To). */
function farRequest(method: string, cseq: number, options: { body?: string; headers?: string; type?: string } = {}): string {
  return `  <send retrans="500"><![CDATA[
${method} sip:parley@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:far@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
To: [$ours]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:far@[local_ip]:[local_port]>
Max-Forwards: 70
${options.headers ?? ''}${options.body ? `Content-Type: ${options.type ?? 'application/sdp'}\n` : ''}Content-Length: [len]

${options.body ?? ''}
]]></send>`;
}

const farAck = (cseq: number) => `  <send><![CDATA[
ACK sip:parley@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:far@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
To: [$ours]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Max-Forwards: 70
Content-Length: 0

]]></send>`;

/** Keeps our From (with our tag) to address requests back to us. */
const inviteCapturingFrom = `  <recv request="INVITE">
    <action><ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="ours" /></action>
  </recv>`;

let temp: ReturnType<typeof tempDataDir>;
const running: SippRun[] = [];
const disposers: Array<() => Promise<void>> = [];

beforeAll(() => {
  temp = tempDataDir('parley-sipp-');
});
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  for (const sipp of running.splice(0)) sipp.kill();
});
afterAll(() => temp.cleanup());

async function lineTo(sipp: SippRun, options = {}, transport: 'udp' | 'tcp' = 'udp') {
  const made = makeLine(lineConfig({ server: '127.0.0.1', port: sipp.port, transport }), options);
  disposers.push(() => made.line.dispose());
  await made.line.start();
  expect(made.line.state().status, sipp.output()).toBe('ready');
  return made;
}

async function sipp(name: string, body: string, extra: string[] = [], calls?: number): Promise<SippRun> {
  const run = await runSipp(temp.dir, name, scenario(name, body), { extra, calls });
  running.push(run);
  return run;
}

describe('outbound SIP calls against SIPp', () => {
  it('maps 486 Busy Here to busy and ACKs it', async () => {
    const far = await sipp('busy', `
  <recv request="INVITE" />
${respond('100 Trying', { contact: false })}
${respond('486 Busy Here')}
  <recv request="ACK" />`);
    const { line } = await lineTo(far);
    const leg = await line.dial({ callId: 'c-busy', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'busy'), 5_000, 'busy');
    await sippPassed(far);
  });

  it('cancels a call that rings past the ring timeout and reports no-answer', async () => {
    const far = await sipp('no-answer', `
  <recv request="INVITE" />
${respond('100 Trying', { contact: false })}
${respond('180 Ringing')}
  <recv request="CANCEL" />
${respond('200 OK', { contact: false })}
  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [last_cseq_number] INVITE
Content-Length: 0

]]></send>
  <recv request="ACK" />`);
    const { line } = await lineTo(far, { ringTimeoutMs: 800 });
    const leg = await line.dial({ callId: 'c-cancel', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'no-answer'), 5_000, 'no-answer after CANCEL');
    expect(events[0]).toEqual({ type: 'ringing', earlyMedia: false });
    await sippPassed(far);
  });

  it('cancels a ringing call when the agent hangs up', async () => {
    const far = await sipp('agent-cancel', `
  <recv request="INVITE" />
${respond('180 Ringing')}
  <recv request="CANCEL" />
${respond('200 OK', { contact: false })}
  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [last_cseq_number] INVITE
Content-Length: 0

]]></send>
  <recv request="ACK" />`);
    const { line } = await lineTo(far);
    const leg = await line.dial({ callId: 'c-agent-cancel', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'ringing'), 5_000, 'ringing');
    await leg.hangup();
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'agent' });
    await sippPassed(far);
  });

  it('a hang-up before any provisional ends the leg at once; the CANCEL follows the first 180', async () => {
    const far = await sipp('cancel-before-ringing', `
  <recv request="INVITE" />
  <pause milliseconds="600" />
${respond('180 Ringing')}
  <recv request="CANCEL" />
${respond('200 OK', { contact: false })}
  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [last_cseq_number] INVITE
Content-Length: 0

]]></send>
  <recv request="ACK" />`);
    const { line } = await lineTo(far);
    const leg = await line.dial({ callId: 'c-early-hangup', to: '+15551234567' });
    const events = recordEvents(leg);
    const started = Date.now();
    await leg.hangup();
    expect(Date.now() - started).toBeLessThan(200);
    expect(events).toEqual([{ type: 'hangup', by: 'agent' }]);
    await sippPassed(far);
  });

  it.each(['183 Session Progress', '180 Ringing'])('plays early media from a %s with SDP, then answers; our BYE ends the call', async (provisional) => {
    // The 183's SDP points at a socket of this test, which then plays a tone to the leg.
    const media = await udpSocket();
    const mediaPort = media.address().port;
    const earlySdp = sdp(0).replace('[media_ip]', '127.0.0.1').replace('[media_port]', String(mediaPort));
    const far = await sipp(`early-media-${provisional.slice(0, 3)}`, `
  <recv request="INVITE" />
${respond(provisional, { body: earlySdp })}
${respond(provisional, { body: earlySdp })}
  <pause milliseconds="1500" />
${respond('200 OK', { body: earlySdp })}
  <recv request="ACK" />
  <recv request="BYE" />
${respond('200 OK', { contact: false, inDialog: true })}`);
    const { line } = await lineTo(far);
    const leg = await line.dial({ callId: 'c-early', to: '+15551234567' });
    const events = recordEvents(leg);
    let loudFrames = 0;
    leg.onAudio((frame) => {
      if (rms(frame) > 0.05) loudFrames++;
    });
    await waitFor(() => events.length > 0, 3_000, 'ringing');
    expect(events[0]).toEqual({ type: 'ringing', earlyMedia: true });
    const local = (leg as SipLeg).media!.local;
    await rtpTone(local, 40, media);
    await waitFor(() => events.some((e) => e.type === 'answered'), 5_000, 'answered');
    media.close();
    expect(loudFrames).toBeGreaterThan(20);
    // The provisional came twice (a retransmission or a second 18x): one ringing event.
    expect(events.filter((e) => e.type === 'ringing')).toHaveLength(1);
    await leg.hangup();
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'agent' });
    await sippPassed(far);
  });

  it('follows the far end putting the call on hold and back (old-style c=0.0.0.0, then a=sendonly), then its BYE', async () => {
    const far = await sipp('hold', `
${inviteCapturingFrom}
${respond('200 OK', { body: sdp(0) })}
  <recv request="ACK" />
  <pause milliseconds="300" />
${farRequest('INVITE', 2, { body: sdp(0, 'sendrecv').replace('c=IN IP4 [media_ip]', 'c=IN IP4 0.0.0.0') })}
  <recv response="200" />
${farAck(2)}
  <pause milliseconds="300" />
${farRequest('INVITE', 3, { body: sdp(0, 'sendrecv') })}
  <recv response="200" />
${farAck(3)}
  <pause milliseconds="200" />
${farRequest('INVITE', 4, { body: sdp(0, 'sendonly') })}
  <recv response="200" />
${farAck(4)}
  <pause milliseconds="200" />
${farRequest('INVITE', 5, { body: sdp(0, 'sendrecv') })}
  <recv response="200" />
${farAck(5)}
  <pause milliseconds="200" />
${farRequest('INFO', 6, { type: 'application/dtmf-relay', body: 'Signal=5\nDuration=160' })}
  <recv response="200" />
${farRequest('BYE', 7)}
  <recv response="200" />`);
    const { line } = await lineTo(far);
    const leg = await line.dial({ callId: 'c-hold', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'hangup'), 8_000, 'hangup from the far end');
    const seen = events.filter((e) => e.type !== 'ringing' && e.type !== 'mark');
    expect(seen).toEqual([
      { type: 'answered', by: 'unknown' },
      { type: 'hold', held: true },
      { type: 'hold', held: false },
      { type: 'hold', held: true },
      { type: 'hold', held: false },
      { type: 'dtmf', digits: '5' },
      { type: 'hangup', by: 'caller' },
    ]);
    await sippPassed(far);
  });

  it('puts the far end on hold and back with our own re-INVITEs', async () => {
    const far = await sipp('our-hold', `
  <recv request="INVITE" />
${respond('200 OK', { body: sdp(0) })}
  <recv request="ACK" />
  <recv request="INVITE">
    <action><ereg regexp="a=sendonly" search_in="body" check_it="true" assign_to="held" /></action>
  </recv>
${respond('200 OK', { body: sdp(0, 'recvonly'), inDialog: true, headers: 'X-Held: [$held]\n' })}
  <recv request="ACK" />
  <recv request="INVITE">
    <action><ereg regexp="a=sendrecv" search_in="body" check_it="true" assign_to="resumed" /></action>
  </recv>
${respond('200 OK', { body: sdp(0), inDialog: true, headers: 'X-Resumed: [$resumed]\n' })}
  <recv request="ACK" />
  <recv request="BYE" />
${respond('200 OK', { contact: false, inDialog: true })}`);
    const { line } = await lineTo(far);
    const leg = (await line.dial({ callId: 'c-our-hold', to: '+15551234567' })) as SipLeg;
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'answered'), 5_000, 'answered');
    await leg.hold(true);
    await leg.hold(false);
    await leg.hangup();
    expect(events.filter((e) => e.type !== 'mark').map((e) => e.type)).toEqual(['answered', 'hangup']);
    await sippPassed(far);
  });

  it('transfers a connected call with REFER, follows the NOTIFYs, then hangs up', async () => {
    const far = await sipp('refer', `
${inviteCapturingFrom}
${respond('200 OK', { body: sdp(0) })}
  <recv request="ACK" />
  <recv request="REFER">
    <action><ereg regexp="sip:201@" search_in="hdr" header="Refer-To:" check_it="true" assign_to="target" /></action>
  </recv>
${respond('202 Accepted', { headers: 'X-Refer-Target: [$target]\n', inDialog: true })}
${farRequest('NOTIFY', 1, { type: 'message/sipfrag;version=2.0', body: 'SIP/2.0 100 Trying', headers: 'Event: refer\nSubscription-State: active;expires=60\n' })}
  <recv response="200" />
${farRequest('NOTIFY', 2, { type: 'message/sipfrag;version=2.0', body: 'SIP/2.0 200 OK', headers: 'Event: refer\nSubscription-State: terminated;reason=noresource\n' })}
  <recv response="200" />
  <recv request="BYE" />
${respond('200 OK', { contact: false, inDialog: true })}`);
    const { line } = await lineTo(far);
    const leg = await line.dial({ callId: 'c-refer', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'answered'), 5_000, 'answered');
    await leg.transfer!('201');
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'agent' });
    await sippPassed(far);
  });

  it('keeps the call when the transfer target is busy (NOTIFY 486), and says why', async () => {
    const far = await sipp('refer-busy', `
${inviteCapturingFrom}
${respond('200 OK', { body: sdp(0) })}
  <recv request="ACK" />
  <recv request="REFER" />
${respond('202 Accepted', { inDialog: true })}
${farRequest('NOTIFY', 1, { type: 'message/sipfrag;version=2.0', body: 'SIP/2.0 486 Busy Here', headers: 'Event: refer\nSubscription-State: terminated;reason=noresource\n' })}
  <recv response="200" />
  <recv request="BYE" />
${respond('200 OK', { contact: false, inDialog: true })}`);
    const { line } = await lineTo(far);
    const leg = await line.dial({ callId: 'c-refer-busy', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'answered'), 5_000, 'answered');
    await expect(leg.transfer!('202')).rejects.toThrow('Transfer to 202 failed: 486 Busy Here');
    expect(events.some((e) => e.type === 'hangup')).toBe(false);
    await leg.hangup();
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'agent' });
    await sippPassed(far);
  });

  it('a call refused for authentication leaves the line auth-failed, and an OPTIONS check does not clear it', async () => {
    const challenge = 'Proxy-Authenticate: Digest realm="sipp.test", nonce="n0nce", qop="auth", algorithm=MD5\n';
    const far = await sipp('invite-auth', `
  <recv request="INVITE" />
${respond('407 Proxy Authentication Required', { headers: challenge, contact: false })}
  <recv request="ACK" />
  <recv request="INVITE">
    <action><ereg regexp="Digest username=.parley." search_in="hdr" header="Proxy-Authorization:" check_it="true" assign_to="answered" /></action>
  </recv>
${respond('407 Proxy Authentication Required', { headers: `${challenge}X-Answered: [$answered]\n`, contact: false })}
  <recv request="ACK" />`, [], 3);
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: far.port }, 'not-the-password'));
    disposers.push(() => line.dispose());
    await line.start();
    const leg = await line.dial({ callId: 'c-auth-invite', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.length > 0, 5_000, 'the call to fail');
    expect(events[0]).toMatchObject({ type: 'failed', reason: expect.stringMatching(/^authentication failed: .*wrong user name or password/) });
    expect(line.state().status).toBe('auth-failed');
    expect((await line.test()).ok).toBe(true);
    expect(line.state().status).toBe('auth-failed');
    await expect(line.dial({ callId: 'c-auth-2', to: '+15551234567' })).rejects.toThrow(/Authentication failed: .*no call attempted/);
    await sippPassed(far);
  });

  it('places a call over TCP: answered, then our BYE', async () => {
    const far = await sipp('tcp-call', `
  <recv request="INVITE">
    <action><ereg regexp="SIP/2.0/TCP" search_in="hdr" header="Via:" check_it="true" assign_to="tcp" /></action>
  </recv>
${respond('200 OK', { body: sdp(0), headers: 'X-Via-Tcp: [$tcp]\n' })}
  <recv request="ACK" />
  <recv request="BYE" />
${respond('200 OK', { contact: false, inDialog: true })}`, ['-t', 't1']);
    const { line } = await lineTo(far, {}, 'tcp');
    const leg = await line.dial({ callId: 'c-tcp', to: '+15551234567' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'answered'), 5_000, 'answered over TCP');
    await leg.hangup();
    await sippPassed(far);
  });

  it('reports 404 as an invalid number and 503 as failed with the reason', async () => {
    for (const [status, expected] of [
      ['404 Not Found', { type: 'invalid-number', reason: '404 Not Found' }],
      ['503 Service Unavailable', { type: 'failed', reason: '503 Service Unavailable' }],
    ] as const) {
      const far = await sipp(`final-${status.slice(0, 3)}`, `
  <recv request="INVITE" />
${respond(status)}
  <recv request="ACK" />`);
      const { line } = await lineTo(far);
      const leg = await line.dial({ callId: `c-${status.slice(0, 3)}`, to: '+15551234567' });
      const events = recordEvents(leg);
      await waitFor(() => events.length > 0, 5_000, status);
      expect(events).toEqual([expected]);
      await sippPassed(far);
    }
  });
});
