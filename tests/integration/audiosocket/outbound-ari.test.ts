import { afterEach, describe, expect, it } from 'vitest';
import type { CallLegEvent } from '../../../electron/engine/ports/telephony';
import { AsteriskSocketClient, FakeAri, until, type AriRequest } from './support/asterisk-side';
import { openLine } from './support/line';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(respond: (request: AriRequest, ari: FakeAri) => { status: number; body?: unknown }, password = 'ari-secret') {
  const ari = await FakeAri.start();
  cleanups.push(() => ari.close());
  ari.respond = (request) => respond(request, ari);
  const opened = await openLine({ ariUrl: ari.url, ariUsername: 'parley', ariEndpoint: 'PJSIP/{number}@trunk' }, password);
  cleanups.push(() => opened.line.dispose());
  return { ari, ...opened };
}

const info = (request: AriRequest) => (request.method === 'GET' && request.path === '/ari/asterisk/info' ? { status: 200, body: { system: { version: '20.5.0' } } } : undefined);

describe('AudioSocket line: outbound calls through ARI', () => {
  it('originates into the parley-outbound context with our UUID, rings, and answers when Asterisk connects back', async () => {
    let channelState = 'Ringing';
    const { ari, line, port } = await setup((request) => {
      if (info(request)) return info(request)!;
      if (request.method === 'POST' && request.path === '/ari/channels') return { status: 200, body: { id: request.query.get('channelId'), state: 'Down' } };
      if (request.method === 'GET' && request.path.startsWith('/ari/channels/')) return { status: 200, body: { state: channelState } };
      return { status: 404 };
    });
    await until(() => line.state().status === 'ready');
    expect(line.state().detail).toMatch(/Asterisk 20\.5\.0 reachable over ARI/);

    const leg = await line.dial({ callId: 'call-1', to: '+15551234567', detectMachine: true });
    const events: CallLegEvent[] = [];
    leg.onEvent((e) => events.push(e));
    await until(() => ari.requests.some((r) => r.method === 'POST'));
    const originate = ari.requests.find((r) => r.method === 'POST')!;
    expect(originate.authorization).toBe(`Basic ${Buffer.from('parley:ari-secret').toString('base64')}`);
    expect(Object.fromEntries(originate.query)).toMatchObject({ endpoint: 'PJSIP/+15551234567@trunk', context: 'parley-outbound', extension: 's', callerId: '+15550100' });
    const uuid = originate.query.get('channelId')!;
    expect(originate.body).toEqual({ variables: { PARLEY_UUID: uuid, PARLEY_AUDIOSOCKET: `127.0.0.1:${port}` } });
    await until(() => events.some((e) => e.type === 'ringing'), 3_000);

    // The callee answers: the dialplan runs AudioSocket(${PARLEY_UUID},...) and connects to us.
    channelState = 'Up';
    const asterisk = await AsteriskSocketClient.open(port);
    cleanups.push(() => asterisk.close());
    asterisk.sendUuid(uuid);
    await until(() => events.some((e) => e.type === 'answered'));
    expect(events.find((e) => e.type === 'answered')).toEqual({ type: 'answered', by: 'unknown' });
    const heard: Int16Array[] = [];
    leg.onAudio((f) => heard.push(f));
    asterisk.sendAudio(new Int16Array(160).fill(1_200));
    await until(() => heard.length === 1);
    leg.sendAudio(new Int16Array(160).fill(-900));
    await until(() => asterisk.audio().length === 1);
    await leg.hangup();
    await until(() => asterisk.closed);
  });

  it('maps a refused originate to failed, with the reason', async () => {
    const { line } = await setup((request) => info(request) ?? { status: 401, body: { message: 'Authentication required' } }, 'wrong');
    const leg = await line.dial({ callId: 'call-2', to: '+15551234567', detectMachine: true });
    const events: CallLegEvent[] = [];
    leg.onEvent((e) => events.push(e));
    await until(() => events.length > 0);
    expect(events[0]).toMatchObject({ type: 'failed', reason: expect.stringMatching(/401 wrong ARI user name or password/) });
  });

  it('a channel that disappears before connecting back is not answered; a busy one is busy', async () => {
    let state: 'gone' | 'Busy' = 'gone';
    const { line } = await setup((request) => {
      if (info(request)) return info(request)!;
      if (request.method === 'POST') return { status: 200, body: {} };
      if (request.method === 'GET') return state === 'gone' ? { status: 404, body: { message: 'Channel not found' } } : { status: 200, body: { state } };
      return { status: 204 };
    });
    const first = await line.dial({ callId: 'call-3', to: '+15551234567', detectMachine: true });
    const firstEvents: CallLegEvent[] = [];
    first.onEvent((e) => firstEvents.push(e));
    await until(() => firstEvents.length > 0, 4_000);
    expect(firstEvents[0]).toEqual({ type: 'no-answer' });

    state = 'Busy';
    const second = await line.dial({ callId: 'call-4', to: '+15551234567', detectMachine: true });
    const secondEvents: CallLegEvent[] = [];
    second.onEvent((e) => secondEvents.push(e));
    await until(() => secondEvents.length > 0, 4_000);
    expect(secondEvents[0]).toEqual({ type: 'busy' });
  });

  it('says so when the callee answered but the dialplan never connected back, and hangs the channel up', async () => {
    const { line, ari } = await setup((request) => {
      if (info(request)) return info(request)!;
      if (request.method === 'POST') return { status: 200, body: {} };
      if (request.method === 'GET') return { status: 200, body: { state: 'Up' } };
      return { status: 204 };
    });
    const leg = await line.dial({ callId: 'call-5', to: '+15551234567', detectMachine: true });
    const events: CallLegEvent[] = [];
    leg.onEvent((e) => events.push(e));
    await until(() => events.length > 0, 9_000);
    expect(events[0]).toMatchObject({ type: 'failed', reason: expect.stringMatching(/did not connect back .* parley-outbound/) });
    await until(() => ari.requests.some((r) => r.method === 'DELETE'));
    expect(ari.requests.find((r) => r.method === 'DELETE')!.path).toMatch(/^\/ari\/channels\/[0-9a-f-]{36}$/);
  }, 12_000);

  it('test() makes the ARI round trip; an unreachable Asterisk turns the line unreachable', async () => {
    const { line, ari } = await setup((request) => info(request) ?? { status: 404 });
    const ok = await line.test();
    expect(ok).toMatchObject({ ok: true, verdict: 'ARI GET /asterisk/info answered: Asterisk 20.5.0' });
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    await ari.close();
    const down = await line.test();
    expect(down.ok).toBe(false);
    expect(down.verdict).toMatch(/unreachable/);
    expect(line.state().status).toBe('unreachable');
  });

  it('a malformed ARI URL is one clear problem: line unreachable, test and dial say why', async () => {
    const { line, warnings } = await openLine({ ariUrl: 'pbx:8088/ari wrong', ariUsername: 'parley', ariEndpoint: 'PJSIP/{number}@trunk' }, 'pw');
    cleanups.push(() => line.dispose());
    await until(() => line.state().status !== 'registering');
    expect(line.state()).toMatchObject({ status: 'unreachable', detail: expect.stringMatching(/ARI URL is not a URL/) });
    expect(await line.test()).toMatchObject({ ok: false, verdict: expect.stringMatching(/not a URL/) });
    await expect(line.dial({ callId: 'y', to: '+1555', detectMachine: false })).rejects.toThrow(/not a URL/);
    expect(warnings()).toHaveLength(1);
  });

  it('a line without ARI refuses to dial with a reason', async () => {
    const { line } = await openLine();
    cleanups.push(() => line.dispose());
    await expect(line.dial({ callId: 'x', to: '+1555', detectMachine: false })).rejects.toThrow(/inbound calls only/);
  });
});
