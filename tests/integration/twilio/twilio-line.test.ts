import { afterEach, describe, expect, it } from 'vitest';
import type { CallLegEvent } from '../../../electron/engine/ports/telephony';
import type { TwilioTelephony } from '../../../electron/engine/telephony/twilio/telephony';
import { until } from '../audiosocket/support/asterisk-side';
import { openTwilioLine, ACCOUNT_SID, NUMBER } from './support/line';

type Opened = Awaited<ReturnType<typeof openTwilioLine>>;

const tone = (ms: number) => Int16Array.from({ length: (8 * ms) | 0 }, (_, i) => Math.round(6_000 * Math.sin((2 * Math.PI * 440 * i) / 8_000)));

describe('a Twilio line against a local fake Twilio', () => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.line.dispose();
    await opened?.fake.close();
    opened = undefined;
  });

  async function ready(settings = {}) {
    opened = await openTwilioLine(settings);
    await opened.line.start();
    expect(opened.line.state()).toMatchObject({ status: 'ready' });
    return opened;
  }

  function events(line: TwilioTelephony, leg: Awaited<ReturnType<TwilioTelephony['dial']>>) {
    void line;
    const seen: CallLegEvent[] = [];
    leg.onEvent((e) => seen.push(e));
    return seen;
  }

  it('starts ready: account checked, the number pointed at the line, the public URL reaches the listener', async () => {
    const { fake, port } = await ready();
    expect(fake.numbers.find((n) => n.phoneNumber === NUMBER)!.voiceUrl).toBe(`http://127.0.0.1:${port}/twilio/line-tw/voice`);
    expect(fake.numbers.find((n) => n.phoneNumber !== NUMBER)!.voiceUrl).toBe('');
    expect((await opened!.line.numbers()).map((n) => n.phoneNumber)).toEqual([NUMBER, '+14155550199']);
    expect(fake.violations).toEqual([]);
  });

  it('an outbound call: progress, machine verdict, audio both ways paced at real time, agent hangs up through REST', async () => {
    const { fake, line } = await ready();
    fake.behaviour.callerAudio = tone(400);
    const leg = await line.dial({ callId: 'c1', to: '+15551234567', detectMachine: true });
    const seen = events(line, leg);
    const heard: Int16Array[] = [];
    leg.onAudio((f) => heard.push(f));
    await until(() => seen.some((e) => e.type === 'answered'), 5_000);
    expect(seen.map((e) => e.type)).toEqual(['ringing', 'answered']);
    expect(seen[1]).toEqual({ type: 'answered', by: 'human' });
    const call = fake.last()!;
    expect(call).toMatchObject({ to: '+15551234567', from: NUMBER });
    // The Twilio call was created with a bidirectional stream and async AMD.
    expect(call.twiml).toMatch(/<Connect><Stream url="ws:\/\/127\.0\.0\.1:\d+\/twilio\/line-tw\/stream\/[A-Za-z0-9_-]+">/);
    expect(call.amdCallback).toMatch(/\/twilio\/line-tw\/amd\//);
    // Two seconds of agent audio go out one 20 ms message at a time.
    const sentAt = performance.now();
    for (let i = 0; i < 100; i++) leg.sendAudio(tone(20));
    leg.mark('utterance-1');
    await until(() => seen.some((e) => e.type === 'mark'), 5_000);
    const elapsed = performance.now() - sentAt;
    expect(elapsed).toBeGreaterThan(1_800); // played at real time, not a burst
    expect(call.received.length).toBe(100);
    const gaps = call.received.slice(1).map((r, i) => r.at - call.received[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(80);
    expect(heard.length).toBeGreaterThan(10); // the caller's audio arrived as 20 ms frames
    expect(heard.every((f) => f.length === 160)).toBe(true);
    expect(leg.playout!.heard()).toBe(100);
    await leg.hangup();
    await until(() => call.endedBy === 'rest', 5_000);
    expect(call.restUpdates).toEqual([{ Status: 'completed' }]);
    await until(() => call.status === 'completed');
    expect(call.callbacks.filter((c) => c.url === call.statusCallback).every((c) => c.status === 204)).toBe(true);
    expect(fake.violations).toEqual([]);
  }, 20_000);

  it('barge-in: clear drops what Twilio holds, and only marks of played audio count as heard', async () => {
    const { fake, line } = await ready();
    const leg = await line.dial({ callId: 'c2', to: '+15551234567', detectMachine: true });
    const seen = events(line, leg);
    await until(() => seen.some((e) => e.type === 'answered'), 5_000);
    for (let i = 0; i < 150; i++) leg.sendAudio(tone(20)); // three seconds
    const call = fake.last()!;
    await until(() => call.playedFrames >= 40, 5_000); // the caller has heard almost a second
    await until(() => leg.playout!.heard() >= 20, 5_000); // and Twilio's marks say so
    const heardBefore = leg.playout!.heard();
    leg.clear();
    await until(() => call.clears.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    const playedAtClear = call.clears[0]!.played;
    // What the marks confirmed was really played; echoes of the cleared marks did not count.
    expect(heardBefore).toBeLessThanOrEqual(playedAtClear);
    expect(leg.playout!.heard()).toBeLessThanOrEqual(playedAtClear); // a mark echoed in flight at the clear was played too
    expect(call.marksEchoed.some((m) => m.cleared)).toBe(true);
    expect(call.received.length).toBeLessThan(150); // the rest was never sent
    await fake.hangUp(call.sid);
    await until(() => seen.some((e) => e.type === 'hangup'));
    expect(seen.at(-1)).toEqual({ type: 'hangup', by: 'caller' });
    expect(call.restUpdates).toEqual([]); // nothing to end: the caller did
  }, 20_000);

  it('machine, busy, no answer and an invalid number map to the port\'s events', async () => {
    const { fake, line } = await ready();
    fake.behaviour.answer = 'machine';
    const machine = await line.dial({ callId: 'm', to: '+15551230001', detectMachine: true });
    const m = events(line, machine);
    await until(() => m.some((e) => e.type === 'answered'), 5_000);
    expect(m.find((e) => e.type === 'answered')).toEqual({ type: 'answered', by: 'machine' });
    await machine.hangup();
    for (const answer of ['busy', 'no-answer'] as const) {
      fake.behaviour.answer = answer;
      const leg = await line.dial({ callId: answer, to: '+15551230002' });
      const seen = events(line, leg);
      await until(() => seen.some((e) => e.type === answer), 5_000);
    }
    fake.behaviour.createError = { status: 400, code: 21211, message: "The 'To' number +1555 is not a valid phone number." };
    const invalid = await line.dial({ callId: 'bad', to: '+1555' });
    const bad = events(line, invalid);
    await until(() => bad.length > 0, 5_000);
    expect(bad[0]).toMatchObject({ type: 'invalid-number' });
    expect(fake.violations).toEqual([]);
  }, 20_000);

  it('a machine verdict that never comes: the call goes on as answered by someone unknown once the wait is over', async () => {
    opened = await openTwilioLine({ machineVerdictWaitMs: 400 });
    await opened.line.start();
    opened.fake.behaviour.verdictDelayMs = null;
    const leg = await opened.line.dial({ callId: 'v', to: '+15551234567', detectMachine: true });
    const seen = events(opened.line, leg);
    await until(() => opened!.fake.last()?.socket !== undefined, 5_000);
    const streamOpen = performance.now();
    await until(() => seen.some((e) => e.type === 'answered'), 5_000);
    expect(performance.now() - streamOpen).toBeGreaterThanOrEqual(300);
    expect(seen.find((e) => e.type === 'answered')).toEqual({ type: 'answered', by: 'unknown' });
    await leg.hangup();
  });

  it('an inbound call is offered, accepted and streamed; a line with no handler refuses it', async () => {
    const { fake, line } = await ready();
    const refused = await fake.callIn('+15557654321', NUMBER);
    expect(refused.twiml).toContain('<Reject reason="rejected"/>');
    const offered: string[] = [];
    line.onIncoming((call) => {
      offered.push(call.from);
      call.leg.onEvent((e) => offered.push(e.type));
      void call.accept();
    });
    const { call, twiml, status } = await fake.callIn('+15557654321', NUMBER);
    expect(status).toBe(200);
    expect(twiml).toMatch(/<Connect><Stream url="ws:/);
    await until(() => offered.includes('answered'), 5_000);
    expect(offered[0]).toBe('+15557654321');
    await fake.hangUp(call.sid);
    await until(() => offered.includes('hangup'));
  }, 20_000);

  it('refuses forged, foreign and replayed requests with 403 and a log line; repeats are idempotent', async () => {
    const { fake, line, port, warnings } = await ready();
    const leg = await line.dial({ callId: 'c3', to: '+15551234567', detectMachine: true });
    const seen = events(line, leg);
    await until(() => seen.some((e) => e.type === 'answered'), 5_000);
    const call = fake.last()!;
    const streamUrl = fake.streamUrlOf(call.twiml!)!;
    const statusUrl = call.statusCallback!;
    const body = { AccountSid: ACCOUNT_SID, CallSid: call.sid, CallStatus: 'completed' };
    const post = (url: string, params: Record<string, string>, signature: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params) }).then((r) => r.status);
    // Forged: a wrong signature, none, or a signature over other parameters.
    expect(await post(statusUrl, body, 'bm90IGEgc2lnbmF0dXJl')).toBe(403);
    expect(await fetch(statusUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) }).then((r) => r.status)).toBe(403);
    expect(await post(statusUrl, body, fake.sign(statusUrl, { ...body, CallStatus: 'ringing' }))).toBe(403);
    // Signed, but for another account.
    const foreign = { ...body, AccountSid: `AC${'2e'.repeat(16)}` };
    expect(await post(statusUrl, foreign, fake.sign(statusUrl, foreign))).toBe(403);
    expect(seen.some((e) => e.type === 'hangup')).toBe(false);
    // The stream URL again (replayed), and with a forged signature.
    expect(await fake.openStreamAgain(streamUrl)).toMatchObject({ opened: false, refused: 403 });
    expect(await fake.openStreamAgain(streamUrl, 'Zm9yZ2Vk')).toMatchObject({ opened: false, refused: 403 });
    // A repeated `ringing` changes nothing.
    const ringing = { ...body, CallStatus: 'ringing' };
    expect(await post(statusUrl, ringing, fake.sign(statusUrl, ringing))).toBe(204);
    expect(seen.filter((e) => e.type === 'ringing')).toHaveLength(1);
    expect(warnings().filter((w) => String(w.msg).startsWith('Twilio webhook refused')).length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(warnings())).not.toContain('test-auth-token');
    void port;
  }, 20_000);

  it('the listener answers Twilio\'s paths only: no console, no RPC, no metrics through it', async () => {
    const { port } = await ready();
    for (const path of ['/', '/health', '/ready', '/metrics', '/rpc', '/api/v1/campaigns', '/api/v1/openapi.json', '/recordings/x', '/index.html', '/twilio/other-line/voice', '/twilio/line-tw/../../metrics']) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toBe('Not found');
    }
    // A WebSocket upgrade anywhere but a live call's stream is refused.
    const { WebSocket } = await import('ws');
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`);
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(-1));
    });
    expect(refused).toBe(404);
  });

  it('a call whose webhooks never arrive is not left ringing forever: it fails and is cancelled through REST', async () => {
    opened = await openTwilioLine({}, { silentCallMs: 600 });
    await opened.line.start();
    opened.fake.behaviour.answer = 'no-callbacks';
    const leg = await opened.line.dial({ callId: 'silent', to: '+15551234567' });
    const seen = events(opened.line, leg);
    await until(() => seen.length > 0, 5_000);
    expect(seen[0]).toMatchObject({ type: 'failed', reason: expect.stringContaining('no call status') });
    await until(() => opened!.fake.last()!.restUpdates.length > 0);
    expect(opened.fake.last()!.restUpdates).toEqual([{ Status: 'canceled' }]);
  });

  it('a finished call\'s webhooks, replayed after it was retired, are refused', async () => {
    opened = await openTwilioLine({}, { retireAfterMs: 100 });
    await opened.line.start();
    const { fake, line } = opened;
    const leg = await line.dial({ callId: 'r', to: '+15551234567', detectMachine: true });
    const seen = events(line, leg);
    await until(() => seen.some((e) => e.type === 'answered'), 5_000);
    const call = fake.last()!;
    await fake.hangUp(call.sid);
    await until(() => seen.some((e) => e.type === 'hangup'));
    await new Promise((r) => setTimeout(r, 300));
    const completed = call.callbacks.find((c) => c.params.CallStatus === 'completed')!;
    const replay = await fetch(completed.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': fake.sign(completed.url, completed.params) }, body: new URLSearchParams(completed.params) });
    expect(replay.status).toBe(403);
  });

  it('the fake refuses what Twilio\'s document refuses', async () => {
    opened = await openTwilioLine();
    const calls = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;
    expect(await opened.fake.rest('POST', calls, { From: NUMBER })).toBe(400); // no To
    expect(await opened.fake.rest('POST', `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/CA${'0'.repeat(32)}.json`, { Status: 'hung-up' })).toBe(400); // not an enum value
    expect(opened.fake.violations.length).toBe(2);
  });

  it('a line without a public URL says what to set', async () => {
    opened = await openTwilioLine({ publicBaseUrl: undefined });
    await expect(opened.line.start()).rejects.toThrow(/public base URL/);
    expect(opened.line.state()).toMatchObject({ status: 'unreachable' });
    const test = await opened.line.test();
    expect(test.ok).toBe(false);
  });
});
