import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine';
import { repoRoot } from '../../support/fixtures';
import { runParley } from '../../support/run-parley';
import { tempDataDir } from '../../support/temp-dir';

const cli = join(repoRoot, 'out/server/cli.js');
let built = false;
let work: { dir: string; cleanup: () => void };

beforeAll(() => {
  work = tempDataDir('parley-cli-consent-');
  built = existsSync(cli);
  if (!built) {
    if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
    console.warn('[not run] parley import consent columns (CLI): out/server/cli.js is not built (npm run build)');
  }
});
afterAll(() => work.cleanup());

describe('parley import contacts --map consent columns', () => {
  it('records the consent a file brings, and numbers written with 00 are understood', async () => {
    if (!built) return;
    const data = join(work.dir, 'data');
    const file = join(work.dir, 'optins.csv');
    writeFileSync(file, 'Name,Phone,Opt-in,Where\nAda,0044 20 7183 8750,prior express,shop counter\nBen,(212) 555-0147,written,web form\n');
    const result = await runParley(['import', 'contacts', file, '--data', data, '--map', 'phone=Phone', '--map', 'name=Name', '--map', 'consentKind=Opt-in', '--map', 'consentSource=Where'], 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Imported 2 new contacts');
    const db = new BetterSqlite3(join(data, 'parley.db'), { readonly: true });
    try {
      const rows = db.prepare('select c.phone_e164 as phone, k.kind, k.source from contacts c join contact_consents k on k.contact_id = c.id order by c.phone_e164').all();
      expect(rows).toEqual([
        { phone: '+12125550147', kind: 'prior-express-written', source: 'web form' },
        { phone: '+442071838750', kind: 'prior-express', source: 'shop counter' },
      ]);
    } finally {
      db.close();
    }
  });

  it('prints the launch summary before launching', async () => {
    if (!built) return;
    const data = join(work.dir, 'data');
    // The folder from the test above holds Ada and Ben, both with consent.
    const engine = await createEngine({ dataDir: data, host: 'test', logLevel: 'warn', dialer: { mode: 'off' } });
    try {
      const created = await engine.invoke('campaigns.create', { name: 'Renewals', agentPrompt: 'You are Sam.', purpose: 'informational' });
      expect(created.ok).toBe(true);
    } finally {
      await engine.dispose();
    }
    const launched = await runParley(['campaign', 'launch', 'Renewals', '--data', data], 60_000);
    expect(launched.stdout).toMatch(/Calls \d of 2 contacts now with no line; skipped: 0 on the do-not-call list, 0 without consent, \d outside their hours now, 0 invalid, 0 already done\./);
    // With no real line the launch itself is refused, as before.
    expect(launched.code).toBe(1);
    expect(launched.stderr).toContain('No phone line is set up');
  });
});
