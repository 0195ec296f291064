import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeAudioFrame, encodeAudioFrame, type AudioFrame } from '../../../electron/contracts';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { answeredCall, DANA, hasEspeak, heartbeats, is, openHarness, sleep, spoken, waitForEvent, type Harness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers and the supervisor speak with it');
  console.warn('[not run] audio socket tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

/** A console's socket as a browser opens it: binary audio frames beside the JSON contract. */
class AudioClient {
  readonly frames: AudioFrame[] = [];
  readonly json: unknown[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) this.frames.push(decodeAudioFrame(data as Buffer));
      else this.json.push(JSON.parse(String(data)));
    });
  }

  /** Opens a socket and signs in, as the console does before any audio. */
  static async connect(url: string): Promise<AudioClient> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'auth', id: 'sign-in', credentials: ACCOUNT }));
    const reply = await new Promise<{ ok: boolean }>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)) as { ok: boolean })));
    if (!reply.ok) throw new Error('sign-in failed');
    return new AudioClient(socket);
  }

  send(frame: AudioFrame): void {
    this.socket.send(Buffer.from(encodeAudioFrame(frame)));
  }

  async waitFor(match: (f: AudioFrame) => boolean, ms = 5_000): Promise<AudioFrame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching audio frame; kinds seen: ${[...new Set(this.frames.map((f) => f.kind))].join(', ')}`);
      await sleep(20);
    }
  }
}

const ACCOUNT = { username: 'audio-desk', password: 'audio-desk-password' };

const level = (samples: Int16Array) => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));

describe.runIf(espeak)('live call audio over binary WebSocket frames', () => {
  let h: Harness;
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    h = await openHarness();
    const rendererDir = join(h.engine.context.info.dataDir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
    await h.engine.context.access.addUser({ ...ACCOUNT, role: 'manager' });
    server = await startServer({ engine: h.engine, logger: h.engine.context.logger, rendererDir, port: 0, version: 'test' });
    url = `${server.url.replace('http', 'ws')}/rpc`;
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('streams both sides of a call to a listener, and the supervisor’s microphone into the call', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    const client = await AudioClient.connect(url);
    try {
      const listen = await h.as(DANA).call('supervision.listen', { callId });
      client.send({ kind: 'open', callId, sampleRate: 0, text: listen.token });
      await client.waitFor((f) => f.kind === 'ready');
      const caller = await client.waitFor((f) => f.kind === 'caller');
      expect(caller).toMatchObject({ callId, sampleRate: 8_000 });
      expect(caller.samples).toHaveLength(160);
      await client.waitFor((f) => f.kind === 'agent' && level(f.samples!) > 300, 10_000);
      expect((await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!.listeners).toBe(1);

      // The same socket carries the microphone: take over and speak.
      const takeover = await h.as(DANA).call('supervision.takeover', { callId });
      client.send({ kind: 'open', callId, sampleRate: 0, text: takeover.token });
      await sleep(100);
      const line = spoken('Hello, this is Dana from the service desk.', 48_000);
      for (let at = 0; at < line.length; at += 960) {
        client.send({ kind: 'mic', callId, sampleRate: 48_000, samples: line.slice(at, at + 960) });
        await sleep(20);
      }
      const heard = await client.waitFor((f) => f.kind === 'supervisor' && level(f.samples!) > 300, 5_000);
      expect(heard.sampleRate).toBe(8_000);
      const stats = (await h.client.call('supervision.call', { callId })).stats;
      expect(stats.supervisorFramesSent).toBeGreaterThan(50);

      // The console's connection drops: its listening stops and the supervisor counts as gone.
      client.socket.close();
      await waitForEvent(h, is('call.control', (p) => p.callId === callId && p.entry.action === 'disconnected'), 5_000);
      const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
      expect(card.listeners).toBe(0);
      expect(card.controller).toMatchObject({ connected: false });
      await h.as(DANA).call('supervision.handBack', { callId });
      await h.as(DANA).call('supervision.endCall', { callId });
    } finally {
      stop();
      client.socket.close();
    }
  }, 60_000);

  it('answers bad frames and tickets with clear errors and keeps the connection', async () => {
    const client = await AudioClient.connect(url);
    try {
      client.socket.send(Buffer.from([0x50, 1, 2]));
      client.send({ kind: 'open', callId: 'c-unknown', sampleRate: 0, text: 'not-a-ticket' });
      client.send({ kind: 'mic', callId: 'c-unknown', sampleRate: 16_000, samples: new Int16Array(320) });
      client.send({ kind: 'mic', callId: 'c-unknown', sampleRate: 16_000, samples: new Int16Array(320) });
      client.send({ kind: 'agent', callId: 'c-unknown', sampleRate: 16_000, samples: new Int16Array(320) });
      await sleep(300);
      expect(client.json).toEqual([{ type: 'error', error: { code: 'bad_request', message: 'Malformed audio frame: Audio frame is shorter than its header' } }]);
      const errors = client.frames.filter((f) => f.kind === 'error').map((f) => f.text);
      expect(errors).toEqual([
        'This audio stream ticket is unknown, used or expired; ask for a new one',
        'No open audio stream for this call on this connection',
        'A console may send only open, close and mic frames, not agent',
      ]);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      client.socket.close();
    }
  });
});
