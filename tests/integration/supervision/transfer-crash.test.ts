import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../../electron/contracts';
import { signedInClient, TEST_ACCOUNT } from '../../support/accounts';
import { repoRoot } from '../../support/fixtures';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { tempDataDir } from '../../support/temp-dir';
import { hasEspeak } from './harness';
import { waitForValue } from '../../support/wait';

const cli = join(repoRoot, 'out/server/cli.js');
let built = false;
let data: { dir: string; cleanup: () => void };
let serve: ServeProcess | undefined;
const clients: ParleyClient[] = [];
const espeak = hasEspeak();

beforeAll(() => {
  data = tempDataDir('parley-transfer-crash-');
  built = existsSync(cli);
  if (!built) {
    if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
    console.warn('[not run] kill -9 during a wait for a person: out/server/cli.js is not built (npm run build)');
  }
  if (!espeak) console.warn('[not run] kill -9 during a wait for a person: espeak-ng is not installed');
});
afterAll(async () => {
  for (const client of clients) client.close();
  if (serve && serve.child.exitCode === null) await serve.stop();
  data.cleanup();
});

function connect(url: string): ParleyClient {
  const client = signedInClient(url, TEST_ACCOUNT, 20_000);
  clients.push(client);
  return client;
}

function readDb<T>(read: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(join(data.dir, 'parley.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('kill -9 of parley serve while a caller waits for a person', () => {
  it('closes the call after the restart and leaves nobody waiting', async () => {
    if (!built || !espeak) return;
    serve = await startServeProcess(data.dir);
    let client = connect(serve.url);
    const campaign = await client.call('campaigns.create', { name: 'Crash while waiting', questions: ['Would you like to book your spring service?'], transferWaitSeconds: 600 });
    const { callId } = await client.call('voice.testCall', { campaignId: campaign.id, persona: 'waits-for-person', contactName: 'Jo Smith' });
    await waitForValue('the caller in the waiting queue', async () => ((await client.call('transfers.waiting', {})).some((w) => w.callId === callId) ? true : undefined), 60_000);
    await waitForValue('the wait written down', () => readDb((db) => (db.prepare("select 1 from call_transfers where call_id = ? and state = 'waiting'").get(callId) ? true : undefined)), 10_000);

    await serve.kill(); // SIGKILL: no shutdown code runs
    expect(readDb((db) => db.prepare('select state from calls where id = ?').get(callId))).not.toEqual({ state: 'ended' });

    serve = await startServeProcess(data.dir);
    client = connect(serve.url);
    const closed = await waitForValue('the interrupted wait closed', () => readDb((db) => db.prepare("select state, detail from call_transfers where call_id = ? and state != 'waiting'").get(callId) as { state: string; detail: string } | undefined), 20_000);
    expect(closed.state).toBe('interrupted');
    expect(readDb((db) => db.prepare('select state, outcome from calls where id = ?').get(callId))).toEqual({ state: 'ended', outcome: 'interrupted' });
    expect(readDb((db) => db.prepare("select count(*) as n from call_events where call_id = ? and kind = 'transfer.interrupted'").get(callId))).toEqual({ n: 1 });
    expect(await client.call('transfers.waiting', {})).toEqual([]);
    expect((await client.call('supervision.board', {})).some((c) => c.callId === callId)).toBe(false);
    await serve.stop();
  }, 180_000);
});
