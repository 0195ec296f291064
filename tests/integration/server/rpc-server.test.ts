import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { addAccount, signedInClient } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';

let engine: Engine;
let server: RunningServer;
let client: ParleyClient;
let account: { username: string; password: string };
let dataDir: { dir: string; cleanup: () => void };

beforeAll(async () => {
  dataDir = tempDataDir();
  const rendererDir = join(dataDir.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  engine = await createEngine({ dataDir: dataDir.dir, host: 'server' });
  server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: '1.2.3' });
  account = await addAccount(engine, 'admin');
  client = signedInClient(server.url, account);
});

afterAll(async () => {
  client.close();
  await server.close();
  await engine.dispose();
  dataDir.cleanup();
});

/** Sends raw frames on a fresh socket and collects the replies. */
async function rawExchange(frames: Array<string | Buffer>, expected: number, headers?: Record<string, string>): Promise<unknown[]> {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/rpc`, { headers });
  const replies: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${replies.length} of ${expected} replies`)), 5_000);
    let signedIn = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', id: 'sign-in', credentials: { username: account.username, password: account.password } })));
    socket.on('message', (data) => {
      if (!signedIn) {
        signedIn = true;
        frames.forEach((f) => socket.send(f));
        return;
      }
      replies.push(JSON.parse(data.toString()));
      if (replies.length === expected) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on('error', reject);
  });
  socket.close();
  return replies;
}

describe('parley serve over HTTP and WebSocket', () => {
  it('binds to loopback by default and answers /health', async () => {
    expect(server.host).toBe('127.0.0.1');
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', version: '1.2.3' });
  });

  it('serves the console with a Content-Security-Policy', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Parley</title>');
  });

  it('runs commands and pushes events to other clients', async () => {
    const watcher = signedInClient(server.url, account);
    await watcher.call('campaigns.list', {}); // connected
    const seen = new Promise<string>((resolve) => watcher.on('campaign.changed', ({ campaign }) => resolve(campaign.name)));
    const created = await client.call('campaigns.create', { name: 'Over the wire', questions: ['One?'] });
    expect(created.questions).toEqual(['One?']);
    expect(await seen).toBe('Over the wire');
    watcher.close();
  });

  it('answers malformed, unknown, oversized and binary frames with typed errors and keeps serving', async () => {
    const big = JSON.stringify({ type: 'invoke', id: 7, command: 'campaigns.create', payload: { name: 'x', agentPrompt: 'a'.repeat(MAX_MESSAGE_BYTES + 10) } });
    const replies = await rawExchange(
      [
        'not json at all',
        JSON.stringify({ hello: 'world' }),
        JSON.stringify({ type: 'invoke', id: 1, command: 'no.such.command', payload: {} }),
        JSON.stringify({ type: 'invoke', id: 2, payload: {} }),
        big,
        Buffer.from([1, 2, 3]),
        JSON.stringify({ type: 'invoke', id: 3, command: 'campaigns.create', payload: { name: '' } }),
      ],
      7,
    );
    expect(replies).toEqual(
      expect.arrayContaining([
        { type: 'error', error: expect.objectContaining({ code: 'bad_request' }) },
        { type: 'result', id: 1, ok: false, error: expect.objectContaining({ code: 'unknown_command' }) },
        { type: 'result', id: 2, ok: false, error: expect.objectContaining({ code: 'bad_request' }) },
        { type: 'result', id: 7, ok: false, error: expect.objectContaining({ code: 'too_large' }) },
        { type: 'result', id: 3, ok: false, error: expect.objectContaining({ code: 'invalid_payload' }) },
      ]),
    );
    // Nothing from those frames was written, and the server still answers.
    const names = (await client.call('campaigns.list', {})).map((c) => c.name);
    expect(names).not.toContain('x');
    expect(names).not.toContain('');
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('rejects WebSocket upgrades from another origin', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/rpc`, { headers: { Origin: 'https://evil.example' } });
    const outcome = await new Promise<string>((resolve) => {
      socket.on('open', () => resolve('open'));
      socket.on('error', (e) => resolve(e.message));
    });
    expect(outcome).toMatch(/403/);
  });

  it('keeps secrets out of the log file', async () => {
    engine.context.logger.info({ crm: { apiKey: 'sk-live-SECRET' }, authToken: 'tok-SECRET' }, 'configured');
    await engine.dispose().catch(() => undefined);
    const text = readFileSync(join(dataDir.dir, 'logs', 'parley.log'), 'utf8');
    expect(text).toContain('configured');
    expect(text).not.toContain('SECRET');
  });
});
