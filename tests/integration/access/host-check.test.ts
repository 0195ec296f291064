import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngine, type Engine } from '../../../electron/engine';
import { createHostCheck, hostnameOf } from '../../../electron/server/host-check';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { tempDataDir } from '../../support/temp-dir';

let engine: Engine;
let server: RunningServer;
let data: { dir: string; cleanup: () => void };

beforeAll(async () => {
  data = tempDataDir();
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  engine = await createEngine({ dataDir: data.dir, host: 'server' });
  server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: '1', allowHosts: ['parley.office.lan'] });
});

afterAll(async () => {
  await server.close();
  await engine.dispose();
  data.cleanup();
});

/** A raw HTTP GET with whatever Host header an attacker's browser would send. */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Tries a WebSocket upgrade; resolves with 'open' or the refusal. */
function upgrade(headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    socket.on('error', (error) => resolve(`error ${error.message}`));
  });
}

describe('DNS-rebinding probe', () => {
  it('refuses HTTP for a foreign Host with 421, even /health, before serving anything', async () => {
    const page = await get('/', { Host: `evil.example:${server.port}` });
    expect(page.status).toBe(421);
    expect(page.body).not.toContain('<title>Parley</title>');
    expect((await get('/health', { Host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await get('/health', { Host: 'evil.example' })).status).toBe(421);
  });

  it('refuses the WebSocket upgrade when Host and Origin are both the attacker name', async () => {
    const outcome = await upgrade({ Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}` });
    expect(outcome).toBe('refused 421');
  });

  it('refuses a loopback Host with another site as Origin', async () => {
    expect(await upgrade({ Host: `127.0.0.1:${server.port}`, Origin: 'https://evil.example' })).toBe('refused 403');
    expect(await upgrade({ Host: `127.0.0.1:${server.port}`, Origin: `http://localhost:${server.port}` })).toBe('refused 403');
  });

  it('serves its own names: loopback, localhost and a configured hostname', async () => {
    expect((await get('/health', { Host: `127.0.0.1:${server.port}` })).status).toBe(200);
    expect((await get('/health', { Host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get('/health', { Host: `[::1]:${server.port}` })).status).toBe(200);
    expect((await get('/health', { Host: `parley.office.lan:${server.port}` })).status).toBe(200);
    expect(await upgrade({ Host: `parley.office.lan:${server.port}`, Origin: `https://parley.office.lan:${server.port}` })).toBe('open');
    expect(await upgrade({ Host: `127.0.0.1:${server.port}` })).toBe('open');
  });
});

describe('host names', () => {
  it('parses Host headers and rejects malformed ones', () => {
    expect(hostnameOf('Example.COM:80')).toBe('example.com');
    expect(hostnameOf('[::1]:7399')).toBe('::1');
    expect(hostnameOf('[::1')).toBeUndefined();
    expect(hostnameOf('a b')).toBeUndefined();
    expect(hostnameOf('host:port')).toBeUndefined();
    expect(hostnameOf(undefined)).toBeUndefined();
  });

  it('a wildcard bind adds no names; a specific bind adds its address', () => {
    expect(createHostCheck('0.0.0.0').names().sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(createHostCheck('192.168.1.20').hostAllowed('192.168.1.20:7399')).toBe(true);
    expect(createHostCheck('0.0.0.0').hostAllowed('192.168.1.20:7399')).toBe(false);
  });
});
