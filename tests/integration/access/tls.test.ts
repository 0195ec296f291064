import { X509Certificate } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serve, type ServeHandle } from '../../../electron/server/host';
import { selfSignedTls, type TlsMaterial } from '../../../electron/server/tls';
import { tempDataDir } from '../../support/temp-dir';

let data: { dir: string; cleanup: () => void };
let tls: TlsMaterial;
let handle: ServeHandle;

beforeAll(async () => {
  data = tempDataDir();
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  tls = await selfSignedTls(data.dir, ['parley.office.lan']);
  handle = await serve({ dataDir: data.dir, rendererDir, host: '127.0.0.1', port: 0, allowHosts: ['parley.office.lan'], tls });
  await handle.engine.context.access.addUser({ username: 'tess', password: 'tess-tls-password', role: 'viewer' });
}, 60_000);

afterAll(async () => {
  await handle?.stop();
  data.cleanup();
});

describe('TLS', () => {
  it('makes a self-signed certificate once, for loopback and the configured names, with an owner-only key', async () => {
    const x509 = new X509Certificate(tls.cert);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkHost('parley.office.lan')).toBe('parley.office.lan');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(tls.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(statSync(join(data.dir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
    expect((await selfSignedTls(data.dir, ['parley.office.lan'])).fingerprint256).toBe(tls.fingerprint256); // kept, not remade
  });

  it('serves HTTPS and WSS with it; the console learns the fingerprint from app.info', async () => {
    expect(handle.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => get(`${handle.server.url}/health`, { ca: tls.cert }, (res) => resolve(res.statusCode ?? 0)).on('error', reject));
    expect(status).toBe(200);
    const socket = new WebSocket(`${handle.server.url.replace('https', 'wss')}/rpc`, { ca: tls.cert });
    const replies: Array<{ id: number; ok: boolean; result?: { tlsFingerprint?: string } }> = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', id: 1, credentials: { username: 'tess', password: 'tess-tls-password' } })));
      socket.on('message', (data) => {
        replies.push(JSON.parse(String(data)));
        if (replies.length === 1) socket.send(JSON.stringify({ type: 'invoke', id: 2, command: 'app.info', payload: {} }));
        else resolve();
      });
      socket.on('error', reject);
    });
    socket.close();
    expect(replies[0]!.ok).toBe(true);
    expect(replies[1]!.result!.tlsFingerprint).toBe(tls.fingerprint256);
  });
});

describe('exposure warnings', () => {
  it('warns on every start beyond loopback, and about clear text without TLS', async () => {
    const { exposureWarnings } = await import('../../../electron/server/cli/serve-commands');
    expect(exposureWarnings('127.0.0.1', false)).toEqual([]);
    expect(exposureWarnings('::1', false)).toEqual([]);
    expect(exposureWarnings('0.0.0.0', true)).toHaveLength(1);
    const plain = exposureWarnings('0.0.0.0', false);
    expect(plain).toHaveLength(2);
    expect(plain[1]).toContain('no TLS');
  });
});
