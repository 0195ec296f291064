import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../electron/contracts';
import { createEngine } from '../../../electron/engine';
import { SyncReceiver } from '../../../electron/server/bench/sync-receiver';
import { repoRoot } from '../../support/fixtures';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { verifyStandardWebhook } from '../../support/standard-webhooks';
import { tempDataDir } from '../../support/temp-dir';

const cli = join(repoRoot, 'out/server/cli.js');
const built = existsSync(cli);
if (!built) {
  if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
  console.warn('[not run] kill -9 test of outbox delivery: out/server/cli.js is not built (npm run build)');
}
const ROWS = 120;
const data = tempDataDir('parley-delivery-crash-');
let serve: ServeProcess | undefined;
let secret = '';
const receiver = new SyncReceiver({ delayMs: 15 }, (headers, body) => verifyStandardWebhook(secret, headers, body));
afterAll(async () => {
  if (serve && serve.child.exitCode === null) await serve.kill();
  await receiver.stop();
  data.cleanup();
});

async function until(what: () => boolean, ms: number, label: string): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('outbox delivery across a kill -9 of parley serve', () => {
  it('loses nothing: after the restart every row reaches the receiver, repeats only of what was in flight, with the same webhook-id', async () => {
    if (!built) return;
    const url = await receiver.start();
    // Queue the rows with a one-shot engine (it queues but does not deliver), as `parley` commands do.
    const queuing = await createEngine({ dataDir: data.dir, host: 'test', logLevel: 'warn', dialer: { mode: 'off' } });
    const client = createClient(queuing.transport());
    ({ secret } = await client.call('webhooks.create', { url, events: ['contact.do_not_call'] }));
    for (let i = 0; i < ROWS; i++) await client.call('dnc.add', { phone: `+1646555${String(1000 + i)}`, reason: 'asked' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requests).toBe(0);
    await queuing.dispose();

    serve = await startServeProcess(data.dir);
    await until(() => receiver.accepted.size >= 30, 30_000, 'deliveries to start');
    await serve.kill();
    const atKill = receiver.accepted.size;
    expect(atKill).toBeLessThan(ROWS);

    serve = await startServeProcess(data.dir);
    await until(() => receiver.accepted.size === ROWS, 60_000, `all ${ROWS} rows (had ${receiver.accepted.size})`);
    await serve.stop();
    expect(receiver.refused).toBe(0);
    // At most the deliveries in flight at the kill (4 at once to one receiver) came twice, same id.
    expect(receiver.duplicates).toBeLessThanOrEqual(4);
  }, 150_000);
});
