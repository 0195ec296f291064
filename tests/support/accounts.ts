import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createClient, createWebSocketTransport, RPC_PATH, type ParleyClient, type Role } from '../../electron/contracts';
import type { Engine } from '../../electron/engine';
import { repoRoot } from './fixtures';

/** The account tests sign in with (an admin, so existing tests may do everything). */
export const TEST_ACCOUNT = { username: 'test-admin', password: 'test-admin-password' } as const;

/** Adds an account to an in-process engine and returns its credentials. */
export async function addAccount(engine: Engine, role: Role, username = `test-${role}`, campaignIds: string[] = []): Promise<{ username: string; password: string; id: string }> {
  const password = `${username}-password`;
  const user = await engine.context.access.addUser({ username, password, role, campaignIds });
  return { username, password, id: user.id };
}

/** Adds the test admin through the built `parley users add` (for a data folder a `parley serve` child will use). */
export function addTestAccountToDataDir(dataDir: string): void {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/parley.js'), 'users', 'add', TEST_ACCOUNT.username, '--role', 'admin', '--password-stdin', '--data', dataDir], {
    cwd: repoRoot,
    input: `${TEST_ACCOUNT.password}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0 && !/already exists/.test(result.stderr)) throw new Error(`parley users add failed (${result.status}): ${result.stderr}${result.stdout}`);
}

/** A WebSocket client of `http://…` signed in as `account` (the test admin by default). */
export function signedInClient(httpUrl: string, account: { username: string; password: string } = TEST_ACCOUNT, timeoutMs?: number): ParleyClient {
  const url = `${httpUrl.replace(/^http/, 'ws')}${RPC_PATH}`;
  return createClient(createWebSocketTransport({ url, timeoutMs, credentials: { username: account.username, password: account.password } }));
}
