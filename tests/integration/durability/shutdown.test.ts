import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { signedInClient, TEST_ACCOUNT } from '../../support/accounts';
import { repoRoot } from '../../support/fixtures';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { tempDataDir } from '../../support/temp-dir';
import { waitForValue } from '../../support/wait';

const built = existsSync(join(repoRoot, 'out/server/cli.js'));
if (!built) {
  if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
  console.warn('[not run] SIGTERM test of parley serve: out/server/cli.js is not built (npm run build)');
}
const data = tempDataDir('parley-sigterm-');
let serve: ServeProcess | undefined;
afterAll(async () => {
  if (serve && serve.child.exitCode === null) await serve.kill();
  data.cleanup();
});

describe('SIGTERM of parley serve', () => {
  it('stops within 5 s with a call in progress, and the call is closed, not left open', async () => {
    if (!built) return;
    serve = await startServeProcess(data.dir);
    const client = signedInClient(serve.url, TEST_ACCOUNT, 20_000);
    const campaign = await client.call('campaigns.create', { name: 'Stop test', questions: ['Is now a good time?'] });
    const { callId } = await client.call('voice.testCall', { campaignId: campaign.id, persona: 'cooperative', contactName: 'Jo Smith' });
    const read = () => {
      const db = new BetterSqlite3(join(data.dir, 'parley.db'), { readonly: true });
      try {
        return db.prepare('select state, ended_at from calls where id = ?').get(callId) as { state: string; ended_at: number | null } | undefined;
      } finally {
        db.close();
      }
    };
    await waitForValue('the call to be answered', () => (read()?.state === 'in-call' ? true : undefined), 20_000);
    client.close();

    const started = performance.now();
    await serve.stop();
    const tookMs = performance.now() - started;
    expect(tookMs).toBeLessThan(6_000);
    expect(serve.child.exitCode).toBe(0);
    expect(read()).toMatchObject({ state: 'ended', ended_at: expect.any(Number) });
  });
});
