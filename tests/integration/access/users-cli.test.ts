import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine';
import { repoRoot } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';

const built = existsSync(join(repoRoot, 'out/server/cli.js'));
if (!built) console.warn('[not run] parley users CLI tests: the CLI is not built (npm run build)');

const data = tempDataDir('parley-users-cli-');
afterAll(() => data.cleanup());

function parley(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/parley.js'), ...args, '--data', data.dir], { cwd: repoRoot, input, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.runIf(built)('parley users', () => {
  it('adds, lists, sets a password for and removes accounts; passwords come from stdin, never the command line', async () => {
    const added = parley(['users', 'add', 'dana', '--role', 'supervisor', '--campaigns', 'c1,c2', '--password-stdin', '--json'], 'dana-first-password\n');
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout.trim().split('\n').at(-1)!)).toMatchObject({ username: 'dana', role: 'supervisor', campaignIds: ['c1', 'c2'], hasPassword: true });
    expect(parley(['users', 'add', 'dana', '--role', 'viewer', '--password-stdin'], 'another-password\n').stderr).toContain('already exists');
    expect(parley(['users', 'add', 'eve', '--role', 'viewer', '--password-stdin'], 'short\n').stderr).toContain('at least 10 characters');
    expect(parley(['users', 'add', 'eve', '--role', 'owner', '--password-stdin'], 'long-enough-password\n').stderr).toContain('admin, manager, supervisor or viewer');

    const list = parley(['users', 'list', '--json']);
    expect((JSON.parse(list.stdout.trim().split('\n').at(-1)!) as Array<{ username: string }>).map((u) => u.username).sort()).toEqual(['admin', 'dana']);
    expect(parley(['users', 'passwd', 'dana', '--password-stdin'], 'dana-second-password\n').code).toBe(0);

    const engine = await createEngine({ dataDir: data.dir, host: 'test' });
    try {
      const from = { origin: '127.0.0.1', loopback: true };
      await expect(engine.context.access.signIn({ username: 'dana', password: 'dana-first-password' }, from)).rejects.toMatchObject({ code: 'unauthorized' });
      expect((await engine.context.access.signIn({ username: 'dana', password: 'dana-second-password' }, from)).user.username).toBe('dana');
      expect(engine.context.audit.list({ actor: 'admin' }).entries.map((e) => e.action)).toEqual(expect.arrayContaining(['user.add', 'user.password']));
      expect(engine.context.audit.list({ actor: 'admin' }).entries.every((e) => e.origin === 'cli')).toBe(true);
    } finally {
      await engine.dispose();
    }
    expect(parley(['users', 'remove', 'dana']).code).toBe(0);
    expect(parley(['users', 'remove', 'admin']).stderr).toMatch(/last admin|your own account/);
    expect(readFileSync(join(data.dir, 'logs', 'parley.log'), 'utf8')).not.toContain('dana-second-password');
  }, 120_000);
});
