import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_UNAUTHORIZED, createClient, createWebSocketTransport, RPC_PATH, type AuthCredentials, type EngineEvent } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { Clock } from '../../../electron/engine/clock';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { addAccount } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';

/** Wall time plus a settable offset, so session expiry and lockout are tested without waiting. */
const clock: Clock & { offset: number } = { offset: 0, now: () => Date.now() + clock.offset };

let engine: Engine;
let server: RunningServer;
let data: { dir: string; cleanup: () => void };
let wsUrl: string;
let admin: { username: string; password: string; id: string };

beforeAll(async () => {
  data = tempDataDir();
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  engine = await createEngine({
    dataDir: data.dir,
    host: 'server',
    clock,
    access: { idleTimeoutMs: 60_000, lockAfterFailures: 3, lockMs: 600_000, attemptsPerMinute: 50 },
  });
  server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: '1', authTimeoutMs: 400 });
  wsUrl = `${server.url.replace('http', 'ws')}${RPC_PATH}`;
  admin = await addAccount(engine, 'admin', 'alice');
});

afterAll(async () => {
  await server.close();
  await engine.dispose();
  data.cleanup();
});

/** A raw socket that records every frame and its close code. */
function rawSocket() {
  const socket = new WebSocket(wsUrl);
  const frames: Array<Record<string, unknown>> = [];
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => socket.on('open', () => resolve()).on('error', reject));
  socket.on('message', (data, isBinary) => frames.push(isBinary ? { binary: true } : (JSON.parse(data.toString()) as Record<string, unknown>)));
  const next = async (count: number) => {
    for (let i = 0; i < 200 && frames.length < count; i++) await new Promise((r) => setTimeout(r, 10));
    return frames;
  };
  return { socket, frames, closed, opened, next };
}

async function signIn(credentials: AuthCredentials) {
  const transport = createWebSocketTransport({ url: wsUrl });
  try {
    return await transport.signIn(credentials);
  } finally {
    transport.close();
  }
}

describe('unauthenticated sockets', () => {
  it('get a typed unauthorized error for every frame and nothing else, then are closed after the timeout', async () => {
    const s = rawSocket();
    await s.opened;
    s.socket.send(JSON.stringify({ type: 'invoke', id: 1, command: 'campaigns.list', payload: {} }));
    s.socket.send(JSON.stringify({ type: 'invoke', id: 2, command: 'no.such', payload: {} }));
    s.socket.send('not json');
    s.socket.send(Buffer.from([1, 2, 3]));
    await engine.invoke('campaigns.create', { name: 'Secret campaign' }); // an event no one unauthenticated may see
    const frames = await s.next(4);
    expect(frames).toEqual([
      { type: 'result', id: 1, ok: false, error: { code: 'unauthorized', message: 'Sign in first' } },
      { type: 'result', id: 2, ok: false, error: { code: 'unauthorized', message: 'Sign in first' } },
      { type: 'error', error: { code: 'unauthorized', message: 'Sign in first' } },
      { type: 'error', error: { code: 'unauthorized', message: 'Sign in first' } },
    ]);
    expect(await s.closed).toBe(CLOSE_UNAUTHORIZED);
    expect(JSON.stringify(s.frames)).not.toContain('Secret campaign');
  });

  it('/health answers without credentials', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('sign-in and sessions', () => {
  it('signs in with a password, runs commands as that user and receives events', async () => {
    const events: EngineEvent[] = [];
    const client = createClient(createWebSocketTransport({ url: wsUrl, credentials: { username: 'alice', password: admin.password } }));
    client.onAny((e) => events.push(e));
    expect((await client.call('session.me', {})).username).toBe('alice');
    await engine.invoke('campaigns.create', { name: 'Seen by alice' });
    await expect.poll(() => events.some((e) => e.name === 'campaign.changed')).toBe(true);
    client.close();
  });

  it('a wrong password is unauthorized, and so is an unknown user', async () => {
    await expect(signIn({ username: 'alice', password: 'wrong-password' })).rejects.toMatchObject({ code: 'unauthorized', message: 'Wrong username or password' });
    await expect(signIn({ username: 'nobody', password: 'whatever-password' })).rejects.toMatchObject({ code: 'unauthorized', message: 'Wrong username or password' });
  });

  it('a token expires after the idle timeout and is renewed by activity', async () => {
    const grant = await signIn({ username: 'alice', password: admin.password });
    clock.offset += 50_000;
    expect((await signIn({ token: grant.token })).user.username).toBe('alice'); // renews
    clock.offset += 50_000; // 100 s after sign-in, 50 s after the renewal: still valid
    expect((await signIn({ token: grant.token })).user.username).toBe('alice');
    clock.offset += 61_000;
    await expect(signIn({ token: grant.token })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('logout revokes the token; a password change revokes every session of the user and closes their sockets', async () => {
    const transport = createWebSocketTransport({ url: wsUrl });
    const grant = await transport.signIn({ username: 'alice', password: admin.password });
    await transport.signOut();
    transport.close();
    await expect(signIn({ token: grant.token })).rejects.toMatchObject({ code: 'unauthorized' });

    const bob = await addAccount(engine, 'viewer', 'bob');
    const s = rawSocket();
    await s.opened;
    s.socket.send(JSON.stringify({ type: 'auth', id: 'a', credentials: { username: 'bob', password: bob.password } }));
    const [granted] = await s.next(1);
    const token = (granted as { result: { token: string } }).result.token;
    expect(await engine.invoke('users.setPassword', { id: bob.id, password: 'a-new-password-for-bob' })).toMatchObject({ ok: true });
    expect(await s.closed).toBe(CLOSE_UNAUTHORIZED);
    await expect(signIn({ token })).rejects.toMatchObject({ code: 'unauthorized' });
    expect((await signIn({ username: 'bob', password: 'a-new-password-for-bob' })).user.role).toBe('viewer');
  });

  it('locks an account after repeated wrong passwords, even for the right one, until the lock ends', async () => {
    const carol = await addAccount(engine, 'manager', 'carol');
    for (let i = 0; i < 3; i++) await expect(signIn({ username: 'carol', password: 'not-the-password' })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(signIn({ username: 'carol', password: carol.password })).rejects.toMatchObject({ message: expect.stringContaining('locked') });
    expect((await engine.invoke('users.list', {})).ok && engine.context.access.users.view(engine.context.access.users.byUsername('carol')!).lockedUntil).toBeTruthy();
    clock.offset += 600_001;
    expect((await signIn({ username: 'carol', password: carol.password })).user.username).toBe('carol');
  });

  it('throttles sign-in attempts per address', async () => {
    const strict = await createEngine({ dataDir: tempDataDir().dir, host: 'test', access: { attemptsPerMinute: 2 } });
    try {
      const from = { origin: '10.0.0.9', loopback: false };
      await expect(strict.context.access.signIn({ username: 'x', password: 'y' }, from)).rejects.toMatchObject({ message: 'Wrong username or password' });
      await expect(strict.context.access.signIn({ username: 'x', password: 'y' }, from)).rejects.toMatchObject({ message: 'Wrong username or password' });
      await expect(strict.context.access.signIn({ username: 'x', password: 'y' }, from)).rejects.toMatchObject({ message: expect.stringContaining('Too many') });
    } finally {
      await strict.dispose();
    }
  });

  it('a one-time sign-in link works once, only from loopback, only for a few minutes', async () => {
    const { access } = engine.context;
    const adminRow = access.users.byUsername('admin')!;
    const first = access.createSigninLink(adminRow.id);
    const grant = await signIn({ link: first.code });
    expect(grant.user).toMatchObject({ username: 'admin', role: 'admin' });
    await expect(signIn({ link: first.code })).rejects.toMatchObject({ code: 'unauthorized' });

    const remote = access.createSigninLink(adminRow.id);
    await expect(access.signIn({ link: remote.code }, { origin: '192.168.1.50', loopback: false })).rejects.toMatchObject({ message: expect.stringContaining('only on this machine') });

    const late = access.createSigninLink(adminRow.id);
    clock.offset += 5 * 60_000 + 1;
    await expect(signIn({ link: late.code })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('stores only token hashes and argon2id password hashes', async () => {
    const grant = await signIn({ username: 'alice', password: admin.password });
    const sessions = engine.context.store.sqlite.prepare('select token_hash from sessions').all() as Array<{ token_hash: string }>;
    expect(sessions.map((s) => s.token_hash)).not.toContain(grant.token);
    const row = engine.context.access.users.byUsername('alice')!;
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(admin.password);
  });
});
