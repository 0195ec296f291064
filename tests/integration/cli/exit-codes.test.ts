import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';

const cli = join(repoRoot, 'out/server/cli.js');
const built = existsSync(cli);
if (!built) {
  if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
  console.warn('[not run] CLI exit status tests: out/server/cli.js is not built (npm run build)');
}
const data = tempDataDir('parley-cli-');
afterAll(() => data.cleanup());

function parley(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

describe('the parley command line as a Unix tool', () => {
  it('documented exit statuses, and with --json every error is one JSON line on standard error', () => {
    if (!built) return;
    const ok = parley('campaign', 'list', '--data', data.dir, '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([]);

    const notFound = parley('campaign', 'launch', 'no-such-campaign', '--data', data.dir, '--json');
    expect(notFound.status).toBe(3);
    expect(JSON.parse(notFound.stderr)).toEqual({ error: { code: 'not_found', message: expect.stringContaining('No campaign "no-such-campaign"') } });
    expect(notFound.stdout).toBe('');

    const missingFile = parley('import', 'contacts', join(data.dir, 'nope.csv'), '--data', data.dir, '--json');
    expect(missingFile.status).toBe(3);
    expect(JSON.parse(missingFile.stderr).error.code).toBe('not_found');

    const usage = parley('users', 'add', 'bob', '--role', 'wizard', '--data', data.dir, '--json');
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({ error: { code: 'usage', message: expect.stringContaining('wizard') } });

    const unknown = parley('frobnicate', '--json');
    expect(unknown.status).toBe(2);
    expect(JSON.parse(unknown.stderr).error.code).toBe('usage');

    // Without --json the same error is one plain line for a person.
    const plain = parley('campaign', 'launch', 'no-such-campaign', '--data', data.dir);
    expect(plain.status).toBe(3);
    expect(plain.stderr).toBe('parley: No campaign "no-such-campaign" (see: parley campaign list)');

    const exported = parley('export', 'contacts', join(data.dir, 'out.csv'), '--data', data.dir, '--json');
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({ file: join(data.dir, 'out.csv'), rows: 0 });

    const help = parley('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Exit status: 0 ok, 1 failure, 2 usage');
  });
});
