import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { addAccount } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';

const opened: Array<{ engine: Engine; server: RunningServer; cleanup: () => void }> = [];
afterEach(async () => {
  for (const { engine, server, cleanup } of opened.splice(0)) {
    await server.close();
    await engine.dispose();
    cleanup();
  }
});

async function office(storage?: { minFreeBytes: number }) {
  const data = tempDataDir('parley-ready-');
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  const engine = await createEngine({ dataDir: data.dir, host: 'server', dialer: { mode: 'manual' }, storage });
  const server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: '1.0.0' });
  opened.push({ engine, server, cleanup: data.cleanup });
  const token = async (role: 'manager' | 'viewer') => {
    const account = await addAccount(engine, role);
    return (await engine.context.access.signIn({ username: account.username, password: account.password }, { origin: '127.0.0.1', loopback: true })).token;
  };
  const ready = (bearer?: string) => fetch(`${server.url}/ready`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  return { engine, token, ready };
}

describe('/ready', () => {
  it('needs a manager; says ready with every check and its reason when the office can work', async () => {
    const { token, ready } = await office();
    expect((await ready()).status).toBe(401);
    expect((await ready(await token('viewer'))).status).toBe(403);
    const response = await ready(await token('manager'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ready: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
    expect(body.ready).toBe(true);
    expect(body.checks.map((c) => c.name)).toEqual(['database', 'disk', 'dialer', 'lines', 'log']);
    expect(body.checks.find((c) => c.name === 'disk')!.detail).toMatch(/MB free/);
  });

  it('answers 503 with the reason when the disk is too full to dial on', async () => {
    const { token, ready } = await office({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    const response = await ready(await token('manager'));
    expect(response.status).toBe(503);
    const body = (await response.json()) as { ready: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
    expect(body.ready).toBe(false);
    expect(body.checks.find((c) => c.name === 'database')).toMatchObject({ ok: false, detail: expect.stringMatching(/MB free on the disk/) });
  });
});
