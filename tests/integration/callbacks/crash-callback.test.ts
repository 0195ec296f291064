import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../../electron/contracts';
import { signedInClient } from '../../support/accounts';
import { repoRoot } from '../../support/fixtures';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { tempDataDir } from '../../support/temp-dir';
import { startBaresip, type Baresip } from '../sip/baresip';

const ALL_DAY = { start: '00:00', end: '23:59', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as Array<'mon'>, holidays: [] };
const NUMBER = '+13125550177';
const built = existsSync(join(repoRoot, 'out/server/cli.js'));
if (!built) {
  if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
  console.warn('[not run] kill -9 callback test: out/server/cli.js is not built (npm run build)');
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * kill -9 of `parley serve` right after a supervisor booked a callback on a real (SIP) call: after
 * the restart the callback is there, as booked, and the call is closed.
 */
describe.runIf(built)('a callback booked mid-call survives kill -9', () => {
  const data = tempDataDir('parley-crash-callback-');
  const dataDir = join(data.dir, 'parley');
  const clients: ParleyClient[] = [];
  let far: Baresip | undefined;
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    for (const c of clients) c.close();
    if (serve && serve.child.exitCode === null) await serve.stop();
    await far?.stop();
    data.cleanup();
  });

  it('keeps the callback and closes the call after a restart', async () => {
    const silence = join(data.dir, 'silence.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', silence, 'trim', '0', '90']);
    far = await startBaresip(data.dir, silence, 'far', `<sip:${NUMBER}@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA`);
    serve = await startServeProcess(dataDir);
    let client = signedInClient(serve.url);
    clients.push(client);
    const csv = ['name,phone,timezone', `Robin Diaz,${NUMBER},America/Chicago`].join('\n');
    const { importId } = await client.call('contacts.importBegin', { fileName: 'crash.csv', options: {} });
    await client.call('contacts.importChunk', { importId, data: Buffer.from(csv).toString('base64') });
    await client.call('contacts.importFinish', { importId });
    const line = await client.call('lines.create', { kind: 'sip', name: 'Office PBX', maxCalls: 1, settings: { server: '127.0.0.1', port: far.sipPort, register: false, username: 'parley' } });
    await until('the line to be ready', async () => ((await client.call('lines.get', { id: line.id })).state.status === 'ready' ? true : undefined), 10_000);
    const campaign = await client.call('campaigns.create', { name: 'Crash check', companyName: 'Acme', lineId: line.id, questions: ['Would you like to book your service?'], callingWindow: ALL_DAY, maxAttempts: 1 });
    await client.call('campaigns.launch', { id: campaign.id });
    const callId = await until('a call in progress', async () => (await client.call('supervision.board', {})).find((c) => c.line === 'in-call')?.callId, 30_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\nboard: ${JSON.stringify(await client.call('supervision.board', {}))}\nattempt: ${JSON.stringify(new BetterSqlite3(join(dataDir, 'parley.db'), { readonly: true }).prepare('select outcome, detail from dial_attempts').all())}\n${serve!.output().slice(-3_000)}\n${far!.output().slice(-1_500)}`);
    });

    const at = new Date(Date.now() + 26 * 3_600_000).toISOString();
    const booked = await client.call('supervision.scheduleCallback', { callId, at, note: 'Wants the Saturday slot' });
    expect(booked.queued).toBe(true);
    await serve.kill(); // SIGKILL: no shutdown code runs

    serve = await startServeProcess(dataDir);
    client = signedInClient(serve.url);
    clients.push(client);
    const [callback] = await client.call('callbacks.list', { scope: 'all' });
    expect(callback).toMatchObject({ originCallId: callId, contactName: 'Robin Diaz', dueAt: booked.at, note: 'Wants the Saturday slot', source: 'supervisor', state: 'scheduled' });
    const db = new BetterSqlite3(join(dataDir, 'parley.db'), { readonly: true });
    try {
      const attempt = await until('the crashed call to be closed', () => {
        const row = db.prepare('select state from dial_attempts where id = ?').get(callId) as { state: string } | undefined;
        return row?.state === 'ended' ? row : undefined;
      }, 15_000);
      expect(attempt.state).toBe('ended');
    } finally {
      db.close();
    }
  }, 120_000);
});
