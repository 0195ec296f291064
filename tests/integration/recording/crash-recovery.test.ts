import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../../electron/contracts';
import { createEngine } from '../../../electron/engine';
import { signedInClient, TEST_ACCOUNT } from '../../support/accounts';
import { repoRoot } from '../../support/fixtures';
import { decodeOggOpus, rmsBetween } from '../../support/ogg-opus-decode';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { tempDataDir } from '../../support/temp-dir';
import { waitForValue } from '../../support/wait';

const cli = join(repoRoot, 'out/server/cli.js');
let built = false;
let data: { dir: string; cleanup: () => void };
let serve: ServeProcess | undefined;
let client: ParleyClient | undefined;

beforeAll(() => {
  data = tempDataDir('parley-recording-crash-');
  built = existsSync(cli);
  if (!built) {
    if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
    console.warn('[not run] kill -9 recording test: out/server/cli.js is not built (npm run build)');
  }
});
afterAll(async () => {
  client?.close();
  if (serve && serve.child.exitCode === null) await serve.stop();
  data.cleanup();
});

describe('kill -9 of parley serve during a recorded call', () => {
  it('leaves a playable file up to about a second before the kill, and the next start finalises its row', async () => {
    if (!built) return;
    serve = await startServeProcess(data.dir);
    client = signedInClient(serve.url, TEST_ACCOUNT, 20_000);
    const campaign = await client.call('campaigns.create', { name: 'Crash recording', companyName: 'Northside Auto', questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'] });
    const { callId } = await client.call('voice.testCall', { campaignId: campaign.id, persona: 'cooperative', contactName: 'Jo Smith' });

    const db = new BetterSqlite3(join(data.dir, 'parley.db'), { readonly: true, fileMustExist: true });
    let row: { path: string; started_at: number } | undefined;
    try {
      row = await waitForValue('the recording to start', () => db.prepare('select path, started_at from call_recordings where call_id = ?').get(callId) as { path: string; started_at: number } | undefined, 60_000);
    } finally {
      db.close();
    }
    const file = join(data.dir, row.path);
    // Let a few seconds of the call be recorded, then crash the server mid-call.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const killedAt = Date.now();
    await serve.kill();

    const decoded = await decodeOggOpus(file);
    expect(decoded.errors).toBe(0);
    const playedMs = (decoded.left.length * 1000) / 48_000;
    // At most about a second is lost (a half-second page, the 200 ms batch, the jitter margin).
    expect(playedMs).toBeGreaterThan(killedAt - row.started_at - 1_500);
    expect(rmsBetween(decoded.right, 48_000, 0, playedMs)).toBeGreaterThan(0.005);

    // The next start finalises the row from the file.
    const cli = await createEngine({ dataDir: data.dir, logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
    // A one-shot command (no calls of its own) leaves the row alone: another process might be recording.
    const untouched = await cli.context.store.db.selectFrom('call_recordings').select('status').where('call_id', '=', callId).executeTakeFirstOrThrow();
    await cli.dispose();
    expect(untouched.status).toBe('recording');
    const engine = await createEngine({ dataDir: data.dir, logger: pino({ level: 'silent' }), dialer: { mode: 'off' }, recoverRecordings: true });
    try {
      const rec = await engine.context.store.db.selectFrom('call_recordings').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow();
      const bytes = readFileSync(file);
      expect(rec).toMatchObject({ status: 'recovered', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      expect(statSync(file).size).toBe(bytes.length);
      expect(Math.abs(rec.duration_ms! - playedMs)).toBeLessThan(30);
      expect(rec.ended_at).toBe(rec.started_at + rec.duration_ms!);
    } finally {
      await engine.dispose();
    }
  }, 120_000);
});
