import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import OpenAPIBackend, { type Context, type Document } from 'openapi-backend';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import { decodeMuLaw, encodeMuLaw } from '../../electron/engine/audio/g711';
import { repoRoot } from './fixtures';

/**
 * A local stand-in for Twilio, for tests only. Its REST side checks every request against Twilio's
 * own OpenAPI document (../shared/specs/twilio_api_v2010.json): an unknown route, an unknown form
 * parameter or a value the schema refuses is a violation the tests assert is absent. It posts status
 * callbacks and machine verdicts signed with the official `twilio` helper, and opens the Media Streams
 * socket the TwiML names (signed too), plays the caller's audio at real time, plays what Parley sends
 * at real time (echoing marks as their audio is played, all at once on `clear`) and records it.
 */

export type Answer = 'human' | 'machine' | 'busy' | 'no-answer' | 'no-callbacks';

export interface FakeCall {
  sid: string;
  direction: 'outbound-api' | 'inbound';
  to: string;
  from: string;
  status: string;
  twiml: string | undefined;
  statusCallback: string | undefined;
  amdCallback: string | undefined;
  /** Callbacks posted and what Parley answered. */
  callbacks: Array<{ url: string; params: Record<string, string>; status: number }>;
  /** Agent audio Parley sent, frame by frame, with when it arrived. */
  received: Array<{ at: number; samples: Int16Array }>;
  /** Agent audio played to the caller so far (frames), and when each mark was echoed. */
  playedFrames: number;
  marksEchoed: Array<{ name: string; at: number; cleared: boolean }>;
  /** Each `clear`: when, and how many of Parley's frames had been played by then. */
  clears: Array<{ at: number; played: number }>;
  /** Who ended the call: Parley through REST, or the caller. */
  endedBy: 'rest' | 'caller' | undefined;
  restUpdates: Array<Record<string, string>>;
  socket: WebSocket | undefined;
  streamRefused: number | undefined;
}

interface PlayingCall {
  call: FakeCall;
  streamSid: string;
  queue: Int16Array[];
  marks: Array<{ name: string; afterFrames: number }>;
  queuedFrames: number;
  /** Playing (the buffer filled once and has not run dry since). */
  playing: boolean;
  timer: ReturnType<typeof setInterval>;
  callerAudio: Int16Array[];
}

const PREBUFFER_FRAMES = 10;

const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');

export async function startFakeTwilio(options: { accountSid: string; authToken: string; numbers: string[] }) {
  const { accountSid, authToken } = options;
  const violations: string[] = [];
  const calls = new Map<string, FakeCall>();
  const numbers = options.numbers.map((phoneNumber) => ({ sid: `PN${hex(32)}`, phoneNumber, voiceUrl: '' }));
  const playing = new Map<string, PlayingCall>();
  const behaviour = {
    answer: 'human' as Answer,
    /** When Twilio's machine verdict is posted after the stream started (ms); null: never. */
    verdictDelayMs: 300 as number | null,
    /** What the caller says after answering (8 kHz), then silence until the call ends. */
    callerAudio: new Int16Array(0) as Int16Array,
    /** Twilio refuses the next call create with this error (e.g. 21211 invalid To). */
    createError: undefined as { status: number; code: number; message: string } | undefined,
  };

  const definition = JSON.parse(readFileSync(join(repoRoot, '..', 'shared', 'specs', 'twilio_api_v2010.json'), 'utf8')) as Document;
  const api = new OpenAPIBackend({ definition, validate: true, quick: true, strict: false, ajvOpts: { coerceTypes: 'array', logger: false } });
  api.register({
    validationFail: (c: Context) => ({ status: 400, body: { code: 20001, message: `invalid request: ${JSON.stringify(c.validation.errors)}`, violation: true } }),
    notFound: () => ({ status: 404, body: { code: 20404, message: 'no such route', violation: true } }),
    notImplemented: (c: Context) => handle(c),
  });
  api.registerSecurityHandler('accountSid_authToken', () => true);
  await api.init();

  const sign = (url: string, params: Record<string, string>) => twilio.getExpectedTwilioSignature(authToken, url, params);

  async function post(call: FakeCall, url: string | undefined, params: Record<string, string>): Promise<number> {
    if (!url) return 0;
    const body = { AccountSid: accountSid, CallSid: call.sid, From: call.from, To: call.to, Direction: call.direction, ApiVersion: '2010-04-01', ...params };
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(url, body) }, body: new URLSearchParams(body) });
      await response.text();
      call.callbacks.push({ url, params: body, status: response.status });
      return response.status;
    } catch {
      call.callbacks.push({ url, params: body, status: -1 });
      return -1;
    }
  }

  let sequence = 0;
  const status = (call: FakeCall, value: string, extra: Record<string, string> = {}) => {
    call.status = value;
    return post(call, call.statusCallback, { CallStatus: value, SequenceNumber: String(sequence++), ...extra });
  };

  function streamUrlOf(twiml: string): string | undefined {
    return /<Stream[^>]*\surl="([^"]+)"/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
  }

  function handle(c: Context): { status: number; body: unknown } {
    const operation = c.operation.operationId ?? '';
    const params = (c.request.requestBody ?? {}) as Record<string, string>;
    if (c.request.params.AccountSid && c.request.params.AccountSid !== accountSid) return { status: 404, body: { code: 20404, message: 'account not found' } };
    switch (operation) {
      case 'FetchAccount':
        return { status: 200, body: { sid: accountSid, friendly_name: 'Parley test account', status: 'active', type: 'Full', date_created: null, date_updated: null, owner_account_sid: accountSid, uri: '', subresource_uris: {}, auth_token: null } };
      case 'ListIncomingPhoneNumber':
        return { status: 200, body: { incoming_phone_numbers: numbers.map((n) => ({ sid: n.sid, account_sid: accountSid, phone_number: n.phoneNumber, friendly_name: n.phoneNumber, voice_url: n.voiceUrl || null })), end: numbers.length - 1, first_page_uri: '', next_page_uri: null, page: 0, page_size: 200, previous_page_uri: null, start: 0, uri: '' } };
      case 'UpdateIncomingPhoneNumber': {
        const number = numbers.find((n) => n.sid === c.request.params.Sid);
        if (!number) return { status: 404, body: { code: 20404, message: 'not found' } };
        if (params.VoiceUrl) number.voiceUrl = params.VoiceUrl;
        return { status: 200, body: { sid: number.sid, account_sid: accountSid, phone_number: number.phoneNumber, friendly_name: number.phoneNumber, voice_url: number.voiceUrl } };
      }
      case 'CreateCall': {
        if (behaviour.createError) {
          const e = behaviour.createError;
          behaviour.createError = undefined;
          return { status: e.status, body: { code: e.code, message: e.message, more_info: '', status: e.status } };
        }
        const call: FakeCall = { sid: `CA${hex(32)}`, direction: 'outbound-api', to: params.To!, from: params.From!, status: 'queued', twiml: params.Twiml, statusCallback: params.StatusCallback, amdCallback: params.AsyncAmd === 'true' ? params.AsyncAmdStatusCallback : undefined, callbacks: [], received: [], playedFrames: 0, marksEchoed: [], clears: [], endedBy: undefined, restUpdates: [], socket: undefined, streamRefused: undefined };
        calls.set(call.sid, call);
        setTimeout(() => void progress(call), 20);
        return { status: 201, body: callJson(call) };
      }
      case 'UpdateCall': {
        const call = calls.get(c.request.params.Sid as string);
        if (!call) return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
        call.restUpdates.push(params);
        if (['completed', 'canceled', 'busy', 'no-answer', 'failed'].includes(call.status)) return { status: 400, body: { code: 21220, message: 'Call is not in-progress. Cannot redirect.', status: 400 } };
        if (params.Status === 'completed' || params.Status === 'canceled') void end(call, 'rest');
        return { status: 200, body: callJson(call) };
      }
      default:
        violations.push(`operation ${operation} is not in this fake`);
        return { status: 501, body: { code: 0, message: 'not in this fake' } };
    }
  }

  const callJson = (call: FakeCall) => ({ sid: call.sid, account_sid: accountSid, to: call.to, from: call.from, status: call.status, direction: call.direction, api_version: '2010-04-01', uri: `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}.json` });

  async function progress(call: FakeCall): Promise<void> {
    if (behaviour.answer === 'no-callbacks') return;
    await status(call, 'initiated');
    await status(call, 'ringing');
    if (behaviour.answer === 'busy' || behaviour.answer === 'no-answer') {
      await status(call, behaviour.answer);
      return;
    }
    await status(call, 'in-progress');
    await openStream(call, streamUrlOf(call.twiml ?? ''));
    const answeredBy = behaviour.answer === 'machine' ? 'machine_start' : 'human';
    if (call.amdCallback && behaviour.verdictDelayMs !== null) setTimeout(() => void post(call, call.amdCallback, { AnsweredBy: answeredBy, MachineDetectionDuration: String(behaviour.verdictDelayMs) }), behaviour.verdictDelayMs);
  }

  async function openStream(call: FakeCall, url: string | undefined, signature = url ? sign(url, {}) : ''): Promise<void> {
    if (!url) {
      violations.push(`no <Stream url> in the TwiML of ${call.sid}`);
      return;
    }
    const ws = new WebSocket(url, { headers: { 'x-twilio-signature': signature } });
    await new Promise<void>((resolve) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        call.streamRefused = res.statusCode;
        resolve();
      });
      ws.once('error', () => resolve());
    });
    if (ws.readyState !== WebSocket.OPEN) return;
    call.socket = ws;
    const streamSid = `MZ${hex(32)}`;
    const p: PlayingCall = { call, streamSid, queue: [], marks: [], queuedFrames: 0, playing: false, callerAudio: [], timer: setInterval(() => tick(p), 20) };
    for (let i = 0; i < behaviour.callerAudio.length; i += 160) {
      const frame = new Int16Array(160);
      frame.set(behaviour.callerAudio.subarray(i, i + 160));
      p.callerAudio.push(frame);
    }
    playing.set(call.sid, p);
    ws.on('message', (data) => onParleyMessage(p, data.toString()));
    ws.on('close', () => {
      clearInterval(p.timer);
      playing.delete(call.sid);
      call.socket = undefined;
    });
    ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    ws.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid, start: { streamSid, accountSid, callSid: call.sid, tracks: ['inbound'], customParameters: {}, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } }));
  }

  let chunk = 0;
  function tick(p: PlayingCall): void {
    const ws = p.call.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    // The caller's side: one 20 ms frame of what they say (or silence) every 20 ms.
    const frame = p.callerAudio.shift() ?? new Int16Array(160);
    ws.send(JSON.stringify({ event: 'media', sequenceNumber: String(++chunk), streamSid: p.streamSid, media: { track: 'inbound', chunk: String(chunk), timestamp: String(chunk * 20), payload: Buffer.from(encodeMuLaw(frame)).toString('base64') } }));
    // Parley's side: one frame played per 20 ms after 200 ms of buffering (as Twilio's own buffer and
    // the network hold some); marks come back once their audio has played.
    if (p.queue.length >= PREBUFFER_FRAMES) p.playing = true;
    if (p.playing && p.queue.shift()) p.call.playedFrames++;
    if (p.queue.length === 0) p.playing = false;
    while (p.marks.length > 0 && p.marks[0]!.afterFrames <= p.call.playedFrames) echo(p, p.marks.shift()!.name, false);
  }

  function echo(p: PlayingCall, name: string, cleared: boolean): void {
    p.call.marksEchoed.push({ name, at: performance.now(), cleared });
    p.call.socket?.send(JSON.stringify({ event: 'mark', sequenceNumber: String(++chunk), streamSid: p.streamSid, mark: { name } }));
  }

  function onParleyMessage(p: PlayingCall, text: string): void {
    let message: { event?: string; streamSid?: string; media?: { payload?: string }; mark?: { name?: string } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      violations.push('Parley sent a message that is not JSON');
      return;
    }
    if (message.streamSid !== p.streamSid) violations.push(`a ${message.event} message with streamSid ${message.streamSid}`);
    switch (message.event) {
      case 'media': {
        const samples = decodeMuLaw(Buffer.from(message.media?.payload ?? '', 'base64'));
        p.call.received.push({ at: performance.now(), samples });
        p.queue.push(samples);
        p.queuedFrames++;
        return;
      }
      case 'mark':
        p.marks.push({ name: message.mark?.name ?? '', afterFrames: p.call.playedFrames + p.queue.length });
        return;
      case 'clear':
        p.call.clears.push({ at: performance.now(), played: p.call.playedFrames });
        p.queue.length = 0;
        for (const m of p.marks.splice(0)) echo(p, m.name, true);
        return;
      default:
        violations.push(`Parley sent a "${message.event}" message`);
    }
  }

  async function end(call: FakeCall, by: 'rest' | 'caller'): Promise<void> {
    if (call.endedBy) return;
    call.endedBy = by;
    const p = playing.get(call.sid);
    if (p && call.socket?.readyState === WebSocket.OPEN) {
      call.socket.send(JSON.stringify({ event: 'stop', sequenceNumber: String(++chunk), streamSid: p.streamSid, stop: { accountSid, callSid: call.sid } }));
      call.socket.close();
    }
    await status(call, 'completed', { CallDuration: '5' });
  }

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      void (async () => {
        const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
        const url = new URL(req.url ?? '/', 'http://twilio.local');
        const form: Record<string, string | string[]> = {};
        for (const [key, value] of new URLSearchParams(raw)) form[key] = key in form ? [...[form[key]!].flat(), value] : value;
        const operation = api.matchOperation({ method: req.method ?? 'GET', path: url.pathname, headers: {} });
        const schema = (operation?.requestBody as { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } | undefined)?.content?.['application/x-www-form-urlencoded']?.schema;
        for (const key of Object.keys(form)) if (schema && !(key in (schema.properties ?? {}))) violations.push(`unknown parameter ${key} on ${req.method} ${url.pathname}`);
        const answer = (await api.handleRequest({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: raw ? form : undefined, headers: { 'content-type': 'application/x-www-form-urlencoded' } })) as { status: number; body: { violation?: boolean; message?: string } };
        if (answer.body.violation) violations.push(`${req.method} ${url.pathname}: ${answer.body.message}`);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    violations,
    calls,
    numbers,
    behaviour,
    /** The one call placed most recently. */
    last: () => [...calls.values()].at(-1),
    /** The caller hangs up: `stop` on the stream, then `completed`. */
    hangUp: (sid: string) => end(calls.get(sid)!, 'caller'),
    /** A call to one of the numbers: Twilio asks its voice URL, then follows the TwiML. */
    async callIn(from: string, to: string): Promise<{ call: FakeCall; twiml: string; status: number }> {
      const number = numbers.find((n) => n.phoneNumber === to);
      if (!number?.voiceUrl) throw new Error(`${to} has no voice URL`);
      const call: FakeCall = { sid: `CA${hex(32)}`, direction: 'inbound', to, from, status: 'ringing', twiml: undefined, statusCallback: undefined, amdCallback: undefined, callbacks: [], received: [], playedFrames: 0, marksEchoed: [], clears: [], endedBy: undefined, restUpdates: [], socket: undefined, streamRefused: undefined };
      calls.set(call.sid, call);
      const body = { AccountSid: accountSid, CallSid: call.sid, From: from, To: to, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
      const response = await fetch(number.voiceUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(number.voiceUrl, body) }, body: new URLSearchParams(body) });
      const twiml = await response.text();
      call.twiml = twiml;
      if (response.ok && streamUrlOf(twiml)) {
        call.status = 'in-progress';
        await openStream(call, streamUrlOf(twiml));
      }
      return { call, twiml, status: response.status };
    },
    /** Opens a stream to `url` again (a replayed stream request), or with another signature (forged). */
    openStreamAgain: (url: string, signature = sign(url, {})) =>
      new Promise<{ opened: boolean; refused?: number }>((resolve) => {
        const ws = new WebSocket(url, { headers: { 'x-twilio-signature': signature } });
        ws.once('open', () => {
          ws.close();
          resolve({ opened: true });
        });
        ws.once('unexpected-response', (_req, res) => resolve({ opened: false, refused: res.statusCode }));
        ws.once('error', () => resolve({ opened: false }));
      }),
    streamUrlOf,
    sign,
    /** A raw REST request with the account's credentials (to prove the fake refuses what Twilio's document refuses). */
    rest: (method: string, path: string, form: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) }).then((r) => r.status),
    async close() {
      for (const p of playing.values()) {
        clearInterval(p.timer);
        p.call.socket?.terminate();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeTwilio = Awaited<ReturnType<typeof startFakeTwilio>>;
