import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import { decodeMuLaw, encodeMuLaw } from '../../engine/audio/g711';
import { rms } from '../../engine/audio/pcm';

/**
 * `parley bench twilio`'s far end, a separate process (forked, built beside the CLI) so that Parley's
 * outbound media is timed on an event loop that is not the engine's. It plays Twilio's part for the
 * benchmark only: a REST endpoint that answers the account lookup and ends calls, and for each call a
 * signed voice webhook, then the Media Streams socket the TwiML names (signed), sending one 20 ms
 * mu-law frame every 20 ms all call long (the caller's reply once the agent has gone quiet), playing
 * Parley's media at real time and echoing its marks as they play. It records when each of Parley's
 * media messages arrived.
 */

interface OpenMessage {
  type: 'open';
  accountSid: string;
  authToken: string;
}
interface CallMessage {
  type: 'calls';
  voiceUrl: string;
  count: number;
  staggerMs: number;
  /** The caller's reply, PCM16 at 8 kHz. */
  reply: number[];
}
type Message = OpenMessage | CallMessage | { type: 'report' };

interface Call {
  sid: string;
  streamSid: string;
  ws: WebSocket | undefined;
  lastArrival: number | undefined;
  intervals: number[];
  received: number;
  played: number;
  queue: number;
  marks: Array<{ name: string; after: number }>;
  quietFrames: number;
  agentSpoke: boolean;
  replyAt: number | undefined;
  replies: number;
  ended: boolean;
  timer: ReturnType<typeof setInterval> | undefined;
}

const QUIET_FRAMES_BEFORE_REPLY = 40;
/** Gaps longer than this are between utterances, not pacing. */
const UTTERANCE_GAP_MS = 100;
const calls = new Map<string, Call>();
let reply: Int16Array[] = [];
let account = { accountSid: '', authToken: '' };
let server: Server | undefined;
let chunk = 0;

function hex(n: number): string {
  return Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

function send(msg: unknown): void {
  process.send?.(msg);
}

function endCall(call: Call): void {
  if (call.ended) return;
  call.ended = true;
  clearInterval(call.timer);
  if (call.ws?.readyState === WebSocket.OPEN) {
    call.ws.send(JSON.stringify({ event: 'stop', streamSid: call.streamSid, stop: { accountSid: account.accountSid, callSid: call.sid } }));
    call.ws.close();
  }
}

/** Twilio's REST API, as much as the benchmark needs: the account lookup and ending a call. */
function startRest(): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const ended = /\/Calls\/(CA[0-9a-f]{32})\.json$/.exec(req.url ?? '');
      if (req.method === 'GET' && req.url === `/2010-04-01/Accounts/${account.accountSid}.json`) return json(200, { sid: account.accountSid, friendly_name: 'benchmark far end', status: 'active' });
      if (req.method === 'POST' && ended) {
        const call = calls.get(ended[1]!);
        if (!call) return json(404, { code: 20404, message: 'not found', status: 404 });
        endCall(call);
        return json(200, { sid: call.sid, status: 'completed' });
      }
      json(404, { code: 20404, message: 'not in the benchmark far end', status: 404 });
    });
  });
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)));
}

async function placeCall(voiceUrl: string): Promise<void> {
  const sid = `CA${hex(32)}`;
  const params = { AccountSid: account.accountSid, CallSid: sid, From: `+1555${String(3_000_000 + calls.size)}`, To: '+15550100', CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
  const response = await fetch(voiceUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(account.authToken, voiceUrl, params) }, body: new URLSearchParams(params) });
  const twiml = await response.text();
  const url = /<Stream[^>]*\surl="([^"]+)"/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
  if (!response.ok || !url) {
    send({ type: 'error', message: `call ${calls.size}: the voice webhook answered ${response.status}: ${twiml.slice(0, 200)}` });
    return;
  }
  const call: Call = { sid, streamSid: `MZ${hex(32)}`, ws: undefined, lastArrival: undefined, intervals: [], received: 0, played: 0, queue: 0, marks: [], quietFrames: 0, agentSpoke: false, replyAt: undefined, replies: 0, ended: false, timer: undefined };
  calls.set(sid, call);
  const ws = new WebSocket(url, { headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(account.authToken, url, {}) } });
  call.ws = ws;
  ws.on('error', (error) => send({ type: 'error', message: `stream ${sid}: ${error.message}` }));
  ws.on('message', (data) => onMessage(call, data.toString()));
  ws.on('close', () => endCall(call));
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
  ws.send(JSON.stringify({ event: 'start', streamSid: call.streamSid, start: { streamSid: call.streamSid, accountSid: account.accountSid, callSid: sid, tracks: ['inbound'], customParameters: {}, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } }));
  const origin = performance.now();
  let beats = 0;
  // One frame every 20 ms on a drift-corrected timer, as Twilio sends them.
  const tick = () => {
    if (call.ended) return;
    const due = Math.floor((performance.now() - origin) / 20);
    for (; beats < due; beats++) frame(call);
    call.timer = setTimeout(tick, Math.max(0, origin + (beats + 1) * 20 - performance.now())) as unknown as ReturnType<typeof setInterval>;
  };
  tick();
}

function frame(call: Call): void {
  const ws = call.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  // The caller's side: the reply once the agent has spoken and gone quiet, else silence.
  let samples: Int16Array = new Int16Array(160);
  if (call.replyAt !== undefined) {
    samples = reply[call.replyAt] ?? samples;
    call.replyAt++;
    if (call.replyAt >= reply.length) call.replyAt = undefined;
  } else if (call.agentSpoke && call.quietFrames >= QUIET_FRAMES_BEFORE_REPLY) {
    call.agentSpoke = false;
    call.replyAt = 0;
    call.replies++;
  }
  ws.send(JSON.stringify({ event: 'media', streamSid: call.streamSid, media: { track: 'inbound', chunk: String(++chunk), timestamp: String(chunk * 20), payload: Buffer.from(encodeMuLaw(samples)).toString('base64') } }));
  // Parley's side: one frame played per 20 ms, marks echoed as their audio has played.
  if (call.queue > 0) {
    call.queue--;
    call.played++;
    call.quietFrames = 0;
  } else {
    call.quietFrames++;
  }
  while (call.marks.length > 0 && call.marks[0]!.after <= call.played) ws.send(JSON.stringify({ event: 'mark', streamSid: call.streamSid, mark: { name: call.marks.shift()!.name } }));
}

function onMessage(call: Call, text: string): void {
  const now = performance.now();
  const message = JSON.parse(text) as { event: string; media?: { payload: string }; mark?: { name: string } };
  if (message.event === 'media') {
    if (call.lastArrival !== undefined) {
      const interval = now - call.lastArrival;
      if (interval < UTTERANCE_GAP_MS) call.intervals.push(interval);
    }
    call.lastArrival = now;
    call.received++;
    call.queue++;
    if (rms(decodeMuLaw(Buffer.from(message.media!.payload, 'base64'))) > 0.02) call.agentSpoke = true;
  } else if (message.event === 'mark') {
    call.marks.push({ name: message.mark!.name, after: call.played + call.queue });
  } else if (message.event === 'clear') {
    call.queue = 0;
    for (const m of call.marks.splice(0)) call.ws?.send(JSON.stringify({ event: 'mark', streamSid: call.streamSid, mark: { name: m.name } }));
  }
}

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'open') {
      account = { accountSid: message.accountSid, authToken: message.authToken };
      send({ type: 'rest', url: await startRest() });
    } else if (message.type === 'calls') {
      reply = [];
      for (let i = 0; i < message.reply.length; i += 160) reply.push(Int16Array.from(message.reply.slice(i, i + 160)));
      for (let i = 0; i < message.count; i++) {
        void placeCall(message.voiceUrl).catch((error: unknown) => send({ type: 'error', message: (error as Error).message }));
        await new Promise((resolve) => setTimeout(resolve, message.staggerMs));
      }
    } else if (message.type === 'report') {
      const all = [...calls.values()];
      send({
        type: 'report',
        calls: all.length,
        received: Object.fromEntries(all.map((c) => [c.sid, c.received])),
        deviations: all.flatMap((c) => c.intervals.map((i) => Math.abs(i - 20))),
        replies: all.reduce((n, c) => n + c.replies, 0),
      });
      for (const call of all) endCall(call);
      server?.close();
      setTimeout(() => process.exit(0), 200);
    }
  })();
});
