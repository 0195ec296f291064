import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingCall } from '../../../electron/engine/ports/telephony';
import { openRtpSession } from '../../../electron/engine/telephony/rtp/session';
import type { SipTelephonyOptions } from '../../../electron/engine/telephony/sip/sip-telephony';
import { tempDataDir } from '../../support/temp-dir';
import { inDialog, invite, offer, scenario } from './sipp-scenarios';
import { lineConfig, makeLine, okResponder, recordEvents, runSipp, sippPassed, sleep, waitFor, type SippRun } from './harness';

/** Calls from SIPp (uac scenarios written here) to a Parley line. */
let temp: ReturnType<typeof tempDataDir>;
let server: Awaited<ReturnType<typeof okResponder>>;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  temp = tempDataDir('parley-sipp-in-');
  server = await okResponder();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(async () => {
  await server.close();
  temp.cleanup();
});

async function startLine(codecs: Array<'PCMU' | 'PCMA'> = ['PCMU', 'PCMA'], options = {}) {
  const made = makeLine(lineConfig({ server: '127.0.0.1', port: server.port }, undefined, codecs), options);
  cleanups.push(() => made.line.dispose());
  await made.line.start();
  return made;
}

async function call(name: string, body: string, linePort: number): Promise<SippRun> {
  const run = await runSipp(temp.dir, name, scenario(name, body), { target: `127.0.0.1:${linePort}`, extra: ['-s', '100'] });
  cleanups.push(() => run.kill());
  return run;
}

describe('inbound SIP calls from SIPp', () => {
  it('offers the call with the caller number, answers with SDP, and ends on the caller BYE', async () => {
    const { line } = await startLine();
    const calls: IncomingCall[] = [];
    let events: ReturnType<typeof recordEvents> = [];
    line.onIncoming((incoming) => {
      calls.push(incoming);
      events = recordEvents(incoming.leg);
      void incoming.accept();
    });
    const far = await call('inbound-answer', `
${invite(offer([0]))}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="200" rtd="true">
    <action><ereg regexp="m=audio [0-9]+ RTP/AVP 0 101" search_in="body" check_it="true" assign_to="answer" /></action>
  </recv>
${inDialog('ACK', 1)}
  <pause milliseconds="400" />
${inDialog('BYE', 2)}
  <recv response="200" />
  <nop><action><log message="answer [$answer]" /></action></nop>`, line.localPort);
    await waitFor(() => calls.length === 1, 5_000, 'the incoming call');
    expect(calls[0]!.from).toBe('+15557654321');
    expect(calls[0]!.to).toBe('100');
    await waitFor(() => events.some((e) => e.type === 'hangup'), 5_000, 'the caller hanging up');
    expect(events.filter((e) => e.type !== 'mark')).toEqual([{ type: 'answered', by: 'human' }, { type: 'hangup', by: 'caller' }]);
    await sippPassed(far);
  });

  it('refuses with 480 when no inbound campaign answers the line', async () => {
    const { line, lines } = await startLine();
    // A line that does not register is checked with OPTIONS.
    const check = await line.test();
    expect(check).toMatchObject({ ok: true, verdict: expect.stringMatching(/^OPTIONS to 127\.0\.0\.1: 200 OK in \d+ ms$/) });
    const far = await call('inbound-unanswered', `
${invite(offer([0]))}
  <recv response="100" optional="true" />
  <recv response="480" />
${inDialog('ACK', 1)}`, line.localPort);
    await sippPassed(far);
    expect(lines.some((l) => /refused: no inbound campaign answers this line/.test(l.msg))).toBe(true);
  });

  it('answers 488 to an offer with no codec in common, without ringing anyone', async () => {
    const { line, lines } = await startLine(['PCMU']);
    let offered = 0;
    line.onIncoming(() => offered++);
    const far = await call('inbound-488', `
${invite(offer([8]))}
  <recv response="100" optional="true" />
  <recv response="488" />
${inDialog('ACK', 1)}`, line.localPort);
    await sippPassed(far);
    expect(offered).toBe(0);
    expect(lines.filter((l) => /no common codec/.test(l.msg))).toHaveLength(1);
  });

  it('takes the caller number from P-Asserted-Identity, and refuses with 486 when the campaign says busy', async () => {
    const { line } = await startLine();
    const from: string[] = [];
    line.onIncoming((incoming) => {
      from.push(incoming.from);
      void incoming.reject('busy', 'all agents on calls');
    });
    const far = await call('inbound-reject', `
${invite(offer([0]), 'P-Asserted-Identity: "Network" <sip:+15550009999@carrier.example>\n')}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="486" />
${inDialog('ACK', 1)}`, line.localPort);
    await sippPassed(far);
    expect(from).toEqual(['+15550009999']);
  });

  it('a refusal while the answer is still opening its RTP port wins: 486, and accept() says so', async () => {
    const slowMedia: SipTelephonyOptions['openMedia'] = async (request) => {
      await sleep(200);
      return openRtpSession(request);
    };
    const { line } = await startLine(['PCMU', 'PCMA'], { openMedia: slowMedia });
    let acceptError: Error | undefined;
    line.onIncoming((incoming) => {
      incoming.accept().catch((error: Error) => (acceptError = error));
      void incoming.reject('busy');
    });
    const far = await call('inbound-reject-while-accepting', `
${invite(offer([0]))}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="486" />
${inDialog('ACK', 1)}`, line.localPort);
    await sippPassed(far);
    await waitFor(() => acceptError !== undefined, 2_000, 'accept() to fail');
    expect(acceptError!.message).toBe('The call ended before it was answered');
  });

  it('answers 480 to a call nobody takes within the ring limit', async () => {
    const { line } = await startLine(['PCMU', 'PCMA'], { ringTimeoutMs: 500 });
    let events: ReturnType<typeof recordEvents> = [];
    line.onIncoming((incoming) => {
      events = recordEvents(incoming.leg);
    });
    const far = await call('inbound-ring-limit', `
${invite(offer([0]))}
  <recv response="100" optional="true" />
  <recv response="180" />
  <recv response="480" />
${inDialog('ACK', 1)}`, line.localPort);
    await sippPassed(far);
    expect(events).toEqual([{ type: 'hangup', by: 'agent' }]);
  });

  it('a caller who gives up while ringing gets 487 and the leg ends', async () => {
    const { line } = await startLine();
    const calls: IncomingCall[] = [];
    let events: ReturnType<typeof recordEvents> = [];
    line.onIncoming((incoming) => {
      calls.push(incoming);
      events = recordEvents(incoming.leg);
    });
    const far = await call('inbound-cancel', `
${invite(offer([0]))}
  <recv response="100" optional="true" />
  <recv response="180" />
  <send><![CDATA[
CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
From: "Caller" <sip:+15557654321@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 CANCEL
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200" />
  <recv response="487" />
${inDialog('ACK', 1)}`, line.localPort);
    await waitFor(() => calls.length === 1, 5_000, 'the incoming call');
    await waitFor(() => events.length > 0, 5_000, 'the leg to end');
    expect(events).toEqual([{ type: 'hangup', by: 'caller' }]);
    await sippPassed(far);
    await expect(calls[0]!.accept()).rejects.toThrow(/no longer ringing/);
  });
});
