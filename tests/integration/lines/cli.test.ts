import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Line, LineTestResult } from '../../../electron/contracts';
import { repoRoot } from '../../support/fixtures';
import { lastJson, runParley } from '../../support/run-parley';
import { tempDataDir } from '../../support/temp-dir';

const cli = join(repoRoot, 'out/server/cli.js');
let built = false;
let work: { dir: string; cleanup: () => void };

beforeAll(() => {
  work = tempDataDir('parley-cli-lines-');
  built = existsSync(cli);
  if (!built) {
    if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
    console.warn('[not run] parley lines CLI tests: out/server/cli.js is not built (npm run build)');
  }
});
afterAll(() => work.cleanup());

const SECRET = 'hunter2-line-password';

describe('parley lines (CLI)', () => {
  it('adds, lists, tests and removes lines; the password goes only to the encrypted secret store', async () => {
    if (!built) return;
    const data = join(work.dir, 'data');
    const empty = await runParley(['lines', 'list', '--data', data]);
    expect(empty.stdout).toContain('No lines yet');

    const simulated = await runParley(['lines', 'add', '--kind', 'simulated', '--name', 'Rehearsal', '--max-calls', '3', '--data', data, '--json']);
    expect(simulated.code).toBe(0);
    expect(lastJson<Line>(simulated.stdout)).toMatchObject({ kind: 'simulated', name: 'Rehearsal', maxCalls: 3, dryRun: true, state: { status: 'ready' } });

    const sip = await runParley(['lines', 'add', '--kind', 'sip', '--name', 'Office trunk', '--server', '127.0.0.1', '--username', '201', '--password-stdin', '--data', data, '--json'], 60_000, `${SECRET}\n`);
    expect(sip.code).toBe(0);
    const trunk = lastJson<Line>(sip.stdout);
    expect(trunk).toMatchObject({ kind: 'sip', hasSecret: true, settings: { server: '127.0.0.1', username: '201', port: 5060 } });
    expect(sip.stdout).not.toContain(SECRET);

    const list = await runParley(['lines', 'list', '--data', data]);
    expect(list.stdout).toMatch(/simulated\s+Rehearsal \(dry runs\)\s+\[ready: /);
    expect(list.stdout).toContain('Office trunk 201@127.0.0.1');
    // A one-shot command leaves the connection to the Parley that runs on the folder.
    expect(list.stdout).toContain('[offline: Connected by the Parley that runs on this data folder');
    expect(list.stdout).toContain('password saved');

    const test = await runParley(['lines', 'test', 'Rehearsal', '--data', data, '--json']);
    expect(lastJson<LineTestResult>(test.stdout)).toMatchObject({ ok: true, latencyMs: 0 });

    // The password is nowhere in clear: not in the database, the logs or the secrets file; both secret files are 0600.
    for (const file of walk(data)) expect(readFileSync(file).includes(SECRET), file).toBe(false);
    expect(statSync(join(data, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'secrets.enc')).mode & 0o777).toBe(0o600);

    const bad = await runParley(['lines', 'add', '--kind', 'fax', '--name', 'x', '--data', data]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use sip, audiosocket, twilio or simulated');

    expect((await runParley(['lines', 'remove', trunk.id.slice(0, 8), '--data', data])).stdout).toContain(`Removed line ${trunk.id}`);
    const after = lastJson<Line[]>((await runParley(['lines', 'list', '--data', data, '--json'])).stdout);
    expect(after.map((l) => l.name)).toEqual(['Rehearsal']);
    const unknown = await runParley(['lines', 'test', 'no-such-line', '--data', data]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('No line "no-such-line"');
  }, 180_000);
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
