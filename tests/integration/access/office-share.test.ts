import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngine, type Engine } from '../../../electron/engine';
import { OfficeShare } from '../../../electron/server/office-share';
import { tempDataDir } from '../../support/temp-dir';

let engine: Engine;
let share: OfficeShare;
let data: { dir: string; cleanup: () => void };

beforeAll(async () => {
  data = tempDataDir();
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  share = new OfficeShare({ engine: () => engine, rendererDir, dataDir: data.dir, version: 'test' });
  engine = await createEngine({ dataDir: data.dir, host: 'electron', sharing: share });
});

afterAll(async () => {
  await share.dispose();
  await engine.dispose();
  data.cleanup();
});

const health = (url: string, ca: string) =>
  new Promise<number | string>((resolve) => get(`${url}/health`, { ca }, (res) => resolve(res.statusCode ?? 0)).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message)));

describe('share with the office (desktop app)', () => {
  it('opens no port until turned on; then serves the same authenticated server over TLS; off again closes it', async () => {
    expect(await engine.invoke('sharing.status', {})).toEqual({ ok: true, result: { running: false, url: null, tlsFingerprint: null, available: true } });
    const started = await engine.invoke('sharing.start', { host: '127.0.0.1', port: 0 });
    if (!started.ok) throw new Error(started.error.message);
    const status = started.result as { url: string; tlsFingerprint: string };
    expect(status.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(join(data.dir, 'tls', 'cert.pem'), 'utf8');
    expect(await health(status.url, ca)).toBe(200);
    expect(status.tlsFingerprint).toBe(engine.context.info.tlsFingerprint);

    // Colleagues must sign in: an unauthenticated frame gets unauthorized and nothing else.
    const socket = new WebSocket(`${status.url.replace('https', 'wss')}/rpc`, { ca });
    const reply = await new Promise<{ error?: { code: string } }>((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'invoke', id: 1, command: 'contacts.list', payload: {} })));
      socket.on('message', (d) => resolve(JSON.parse(String(d))));
      socket.on('error', reject);
    });
    socket.close();
    expect(reply.error?.code).toBe('unauthorized');

    expect(await engine.invoke('sharing.stop', {})).toMatchObject({ ok: true, result: { running: false } });
    expect(await health(status.url, ca)).toBe('ECONNREFUSED');
    const actions = engine.context.audit.list({ action: 'sharing.change' }).entries.map((e) => e.detail.running);
    expect(actions).toEqual([false, true]);
  });

  it('is not available where the host offers none (parley serve already serves, the CLI never does)', async () => {
    const plain = await createEngine({ dataDir: tempDataDir().dir, host: 'server' });
    try {
      expect(await plain.invoke('sharing.status', {})).toMatchObject({ ok: true, result: { available: false, running: false } });
      expect(await plain.invoke('sharing.start', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    } finally {
      await plain.dispose();
    }
  });
});
