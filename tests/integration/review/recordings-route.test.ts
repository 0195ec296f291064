import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSocketTransport, RPC_PATH } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { parseRange, recordingFilePath } from '../../../electron/engine/review/recording-files';
import { answerRecordingRequest } from '../../../electron/engine/review/recording-response';
import { startServer, type RunningServer } from '../../../electron/server/http-server';
import { addAccount } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';
import { insertCall, insertCampaign, insertRecording, type ReviewHarness } from './harness';

let data: ReturnType<typeof tempDataDir>;
let engine: Engine;
let server: RunningServer;
let file: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  data = tempDataDir('parley-review-http-');
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  engine = await createEngine({ dataDir: data.dir, host: 'server', logger: pino({ level: 'silent' }) });
  server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: '1' });
  const h = { dataDir: data.dir, sqlite: engine.context.store.sqlite } as ReviewHarness;
  insertCampaign(h, 'camp-a', 'A');
  insertCampaign(h, 'camp-b', 'B');
  insertCall(h, { id: 'call-a', campaignId: 'camp-a', createdAt: Date.now() });
  insertCall(h, { id: 'call-b', campaignId: 'camp-b', createdAt: Date.now() });
  insertCall(h, { id: 'call-escape', campaignId: 'camp-a', createdAt: Date.now() });
  file = insertRecording(h, 'call-a', Date.now(), 2).file;
  insertRecording(h, 'call-b', Date.now(), 1);
  h.sqlite.prepare(`insert into call_recordings (call_id, path, format, sample_rate, channels, status, started_at) values ('call-escape', 'recordings/../parley.db', 'wav', 8000, 2, 'complete', 0)`).run();
  for (const [role, campaigns] of [['viewer', ['camp-a']], ['supervisor', ['camp-b']]] as const) {
    const account = await addAccount(engine, role, `rec-${role}`, [...campaigns]);
    const transport = createWebSocketTransport({ url: `${server.url.replace('http', 'ws')}${RPC_PATH}` });
    tokens[role] = (await transport.signIn({ username: account.username, password: account.password })).token;
    transport.close();
  }
});
afterAll(async () => {
  await server?.close();
  await engine?.dispose();
  data?.cleanup();
});

const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });

describe('GET /recordings/<callId>', () => {
  it('needs a live session token', async () => {
    expect((await get('/recordings/call-a')).status).toBe(401);
    expect((await get('/recordings/call-a', 'not-a-token')).status).toBe(401);
  });

  it('serves the whole file, and byte ranges for seeking', async () => {
    const whole = await get('/recordings/call-a', tokens.viewer);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.equals(readFileSync(file))).toBe(true);
    const part = await get('/recordings/call-a', tokens.viewer, { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    expect((await get('/recordings/call-a', tokens.viewer, { Range: `bytes=${bytes.length + 10}-` })).status).toBe(416);
  });

  it('keeps to the campaigns of the user', async () => {
    expect((await get('/recordings/call-b', tokens.viewer)).status).toBe(403);
    expect((await get('/recordings/call-b', tokens.supervisor)).status).toBe(200);
    expect((await get('/recordings/call-a', tokens.supervisor)).status).toBe(403);
    expect((await get('/recordings/no-such-call', tokens.viewer)).status).toBe(404);
  });

  it('never serves a file outside the recordings folder', async () => {
    expect((await get('/recordings/call-escape', tokens.viewer)).status).toBe(404);
    expect((await get('/recordings/..%2Fparley.db', tokens.viewer)).status).toBe(400);
    mkdirSync(join(data.dir, 'recordings', 'links'), { recursive: true });
    symlinkSync(join(data.dir, 'parley.db'), join(data.dir, 'recordings', 'links', 'db.wav'));
    expect(recordingFilePath(data.dir, 'recordings/links/db.wav')).toBeNull();
    expect(recordingFilePath(data.dir, '/etc/passwd')).toBeNull();
  });
});

describe('parseRange', () => {
  it('reads the forms browsers send', () => {
    expect(parseRange('bytes=0-', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=10-5000', 1000)).toEqual({ start: 10, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(parseRange(undefined, 1000)).toBeNull();
  });
});

describe('answerRecordingRequest (the decision any host applies)', () => {
  it('answers without a session, with a range, for HEAD, and for a bad method', () => {
    const review = engine.context.review;
    const admin = engine.localActor('test');
    expect(answerRecordingRequest(review, undefined, { method: 'GET', callId: 'call-a' }).status).toBe(401);
    expect(answerRecordingRequest(review, admin, { method: 'POST', callId: 'call-a' }).status).toBe(405);
    const part = answerRecordingRequest(review, admin, { method: 'GET', callId: 'call-a', range: 'bytes=10-19' });
    expect(part).toMatchObject({ status: 206, body: { start: 10, end: 19 } });
    expect(part.headers['Content-Length']).toBe('10');
    const head = answerRecordingRequest(review, admin, { method: 'HEAD', callId: 'call-a' });
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect(answerRecordingRequest(review, admin, { method: 'GET', callId: 'call-escape' }).status).toBe(404);
  });
});
