import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignCounters, type ParleyClient } from '../../../electron/contracts';
import { repoRoot } from '../../support/fixtures';
import { signedInClient, TEST_ACCOUNT } from '../../support/accounts';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { tempDataDir } from '../../support/temp-dir';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';
import { waitForValue } from '../../support/wait';

const cli = join(repoRoot, 'out/server/cli.js');
const CONTACTS = 9;
let built = false;
let data: { dir: string; cleanup: () => void };
let serve: ServeProcess | undefined;
const clients: ParleyClient[] = [];

beforeAll(() => {
  data = tempDataDir('parley-crash-');
  built = existsSync(cli);
  if (!built) {
    if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
    console.warn('[not run] kill -9 test of parley serve: out/server/cli.js is not built (npm run build)');
  }
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

const inProgress = (c: CampaignCounters) => c.dialing + c.inCall;
const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

describe('kill -9 of parley serve during a running campaign', () => {
  it('loses nothing, dials nobody twice, keeps the counters right, and the campaign goes on after a restart', async () => {
    if (!built) return;
    serve = await startServeProcess(data.dir);
    let client = connect(serve.url);

    // Contacts go in through the console's own import path.
    const csv = ['name,phone,timezone', ...Array.from({ length: CONTACTS }, (_, i) => `Caller ${i},+1 312 555 01${String(i).padStart(2, '0')},${daytimeZone()}`)].join('\n');
    const { importId } = await client.call('contacts.importBegin', { fileName: 'crash.csv', options: {} });
    await client.call('contacts.importChunk', { importId, data: Buffer.from(csv).toString('base64') });
    expect(await client.call('contacts.importFinish', { importId })).toMatchObject({ imported: CONTACTS });

    // A dry run on the simulated line (this build has no real carrier to dial through here).
    const line = await client.call('lines.create', { kind: 'simulated', name: 'Simulated callers', maxCalls: 20 });
    // One attempt each, so any second dial of a contact would be a double dial. Legal hours every day; the contacts are where it is daytime.
    const campaign = await client.call('campaigns.create', {
      lineId: line.id,
      name: 'Crash survivor',
      agentPrompt: 'You are Sam. Ask one short question and say goodbye.',
      questions: ['Is now a good time?'],
      maxConcurrentCalls: 3,
      maxAttempts: 1,
      callingWindow: LEGAL_ALL_WEEK,
    });
    await client.call('campaigns.launch', { id: campaign.id });
    await waitForValue('calls in progress', async () => {
      const c = await client.call('campaigns.counters', { id: campaign.id });
      return inProgress(c) > 0 ? c : undefined;
    }, 60_000);
    // Someone is mid-conversation: answered, and talking for more than a few seconds.
    const live = new BetterSqlite3(join(data.dir, 'parley.db'), { readonly: true });
    const talking = live.prepare(
      `select c.id from calls c join transcript_turns t on t.call_id = c.id
       where c.ended_at is null and c.answered_at is not null group by c.id having max(t.started_at) - c.answered_at > 6000`,
    );
    const cutOff = await waitForValue('a call in conversation', () => (talking.get() as { id: string } | undefined)?.id, 60_000);
    live.close();

    await serve.kill(); // SIGKILL: no shutdown code runs
    const atKill = new BetterSqlite3(join(data.dir, 'parley.db'), { readonly: true });
    const openAtKill = atKill.prepare("select id, contact_id from dial_attempts where state in ('dialing', 'in-call')").all() as Array<{ id: string; contact_id: string }>;
    const attemptsAtKill = (atKill.prepare('select count(*) as n from dial_attempts').get() as { n: number }).n;
    atKill.close();
    expect(openAtKill.length).toBeGreaterThan(0);

    serve = await startServeProcess(data.dir);
    client = connect(serve.url);
    const afterRestart = await client.call('campaigns.counters', { id: campaign.id });
    expect(afterRestart.finished.unknown + afterRestart.finished.interrupted).toBeGreaterThanOrEqual(openAtKill.length);
    expect((await client.call('campaigns.get', { id: campaign.id })).status).toBe('running');

    // The campaign goes on by itself and finishes.
    await waitForValue('the campaign to complete', async () => {
      const c = await client.call('campaigns.get', { id: campaign.id });
      return c.status === 'completed' ? c : undefined;
    }, 240_000);
    const counters = await client.call('campaigns.counters', { id: campaign.id });
    await serve.stop();

    expect(counters).toMatchObject({ enrolled: CONTACTS, queued: 0, dialing: 0, inCall: 0, dncSkipped: 0 });
    expect(sum(counters.finished)).toBe(CONTACTS);
    expect(sum(counters.attempts)).toBe(CONTACTS);
    expect(counters.finished.unknown + counters.finished.interrupted).toBe(openAtKill.length);
    expect(counters.finished.interrupted).toBeGreaterThanOrEqual(1);

    const db = new BetterSqlite3(join(data.dir, 'parley.db'), { readonly: true });
    try {
      // Nobody was dialed twice: one attempt per contact, and the carrier side saw at most one call each.
      const perContact = db.prepare('select contact_id, count(*) as n from dial_attempts group by contact_id').all() as Array<{ n: number }>;
      expect(perContact).toHaveLength(CONTACTS);
      expect(perContact.every((r) => r.n === 1)).toBe(true);
      const callsPerContact = db.prepare('select contact_id, count(*) as n from calls where campaign_id = ? group by contact_id').all(campaign.id) as Array<{ n: number }>;
      expect(callsPerContact.every((r) => r.n === 1)).toBe(true);
      // The calls cut by the crash are closed, counted, and were not placed again: the person who was
      // mid-conversation as interrupted (with an analysis of what was said), the others as unknown.
      for (const open of openAtKill) {
        const expected = open.id === cutOff ? 'interrupted' : expect.stringMatching(/^(unknown|interrupted)$/);
        expect(db.prepare('select outcome from dial_attempts where id = ?').get(open.id)).toEqual({ outcome: expected });
        expect(db.prepare('select state, outcome from calls where id = ?').get(open.id)).toEqual({ state: 'ended', outcome: expected });
      }
      expect(db.prepare('select count(*) as n from calls where ended_at is null').get()).toEqual({ n: 0 });
      expect(db.prepare('select count(*) as n from call_analysis where call_id = ?').get(cutOff)).toEqual({ n: 1 });
      // And the contacts not reached before the crash were called after the restart.
      expect((db.prepare('select count(*) as n from dial_attempts').get() as { n: number }).n).toBeGreaterThan(attemptsAtKill);
      const history = db.prepare('select from_status, to_status from campaign_transitions where campaign_id = ? order by id').all(campaign.id);
      expect(history).toEqual([
        { from_status: 'draft', to_status: 'running' },
        { from_status: 'running', to_status: 'completed' },
      ]);
    } finally {
      db.close();
    }
  }, 360_000);
});
