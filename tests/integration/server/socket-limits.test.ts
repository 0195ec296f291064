import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngine, type Engine } from '../../../electron/engine';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { CommandRate, peekFrameId } from '../../../electron/server/socket-limits';
import { addAccount } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

let engine: Engine;
let server: RunningServer;
let account: { username: string; password: string };
let data: { dir: string; cleanup: () => void };

beforeAll(async () => {
  data = tempDataDir('parley-limits-');
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  engine = await createEngine({ dataDir: data.dir, host: 'server' });
  server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: '1.0.0', socketLimits: { maxBufferedBytes: 2 * 1024 * 1024 } });
  account = await addAccount(engine, 'admin');
  // Enough campaigns that one `campaigns.list` answer is sizeable.
  for (let i = 0; i < 40; i++) await engine.invoke('campaigns.create', { name: `Campaign ${i}`, agentPrompt: 'p'.repeat(4_000) });
});
afterAll(async () => {
  await server.close();
  await engine.dispose();
  data.cleanup();
});

const wsUrl = () => `${server.url.replace('http', 'ws')}/rpc`;
const healthy = async () => (await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2_000) })).status === 200;

/** One masked client text frame (RFC 6455 5.2), written by hand so the test owns its socket. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : length < 65_536 ? Buffer.from([0x81, 0x80 | 126, length >> 8, length & 255]) : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(length)); return b; })()]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}

/** A raw WebSocket client on a plain TCP socket: it can stop reading, as a stuck browser tab does. */
async function rawClient(): Promise<Socket> {
  const { port } = server;
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
  socket.write(`GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return socket;
}

describe('limits on every socket', () => {
  it('a client that stops reading is dropped, the server keeps little for it, and /health answers throughout', async () => {
    const socket = await rawClient();
    socket.write(clientFrame(JSON.stringify({ type: 'auth', id: 'a', credentials: { username: account.username, password: account.password } })));
    let answer = '';
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        answer += chunk.toString('latin1');
        if (answer.includes('"ok":true')) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
    socket.pause(); // signed in; from now on nothing is read
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 180; i++) socket.write(clientFrame(JSON.stringify({ type: 'invoke', id: i, command: 'campaigns.list', payload: {} })));
    const log = join(data.dir, 'logs', 'parley.log');
    await waitFor(() => readFileSync(log, 'utf8').includes('dropped a client that stopped reading'), 15_000, 'the slow client to be dropped');
    expect(await healthy()).toBe(true);
    // 180 answers of ~160 kB would be ~29 MB queued for this client; it is cut off after 2 MB.
    expect((process.memoryUsage().rss - before) / 1024 / 1024).toBeLessThan(50);
    socket.destroy();
  });

  it('a stranger’s oversized frame closes its socket before anything is parsed', async () => {
    const socket = new WebSocket(wsUrl());
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'auth', id: 1, credentials: { username: 'x', password: 'y'.repeat(200_000) } }));
    expect(await closed).toBe(1009);
    expect(await healthy()).toBe(true);
  });

  it('1,000 connection attempts that never sign in: at most 32 are held open, the rest are refused, and the server still answers', async () => {
    const opened: WebSocket[] = [];
    let refused = 0;
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          new Promise<void>((resolve) => {
            const socket = new WebSocket(wsUrl());
            socket.once('open', () => {
              opened.push(socket);
              resolve();
            });
            socket.once('error', () => {
              refused++;
              resolve();
            });
          }),
        ),
      );
    }
    expect(opened.length).toBeLessThanOrEqual(32);
    expect(opened.length + refused).toBe(1_000);
    expect(await healthy()).toBe(true);
    for (const socket of opened) socket.terminate();
    // Places free up once they close: a real user can connect again.
    await waitFor(() => opened.every((s) => s.readyState === WebSocket.CLOSED), 5_000, 'the sockets to close');
    const again = new WebSocket(wsUrl());
    await new Promise<void>((resolve, reject) => again.once('open', () => resolve()).once('error', reject));
    again.close();
  });

  it('commands beyond the rate are refused with rate_limited, with the request id', () => {
    let now = 0;
    const rate = new CommandRate(50, 200, () => now);
    let allowed = 0;
    for (let i = 0; i < 300; i++) if (rate.take()) allowed++;
    expect(allowed).toBe(200);
    now += 1_000;
    expect(Array.from({ length: 60 }, () => rate.take()).filter(Boolean)).toHaveLength(50);
    expect(peekFrameId(Buffer.from(`{"type":"invoke","id":"req-7","payload":"${'x'.repeat(1_000)}"}`))).toBe('req-7');
    expect(peekFrameId(Buffer.from('{"type":"invoke","id":42}'))).toBe(42);
    expect(peekFrameId(Buffer.from('not json'))).toBeUndefined();
  });
});
