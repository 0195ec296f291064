import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engine';
import { repoRoot } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';
import { testEngine, type TestEngine } from '../dialer/harness';
import { hasEspeak } from '../supervision/harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] callback crash test: espeak-ng is not installed (apt-get install espeak-ng)');
}

const PHONE = '+12125550123';
// Monday 7 December 2026, 10:00 in New York.
const MONDAY_10 = '2026-12-07T15:00:00.000Z';
const data = tempDataDir('parley-callback-crash-');
let restarted: TestEngine | undefined;
afterAll(async () => {
  await restarted?.dispose();
  data.cleanup();
});

/** Runs crash-child.ts in its own Node process and kills it (SIGKILL) the moment the callback is booked. */
async function bookThenKill(): Promise<{ callId: string; stateAtKill: string }> {
  // jiti's loader runs the TypeScript child as it is (the project's own dev dependency, pinned).
  const child = spawn(process.execPath, ['--import', 'jiti/register', join(repoRoot, 'tests/integration/callbacks/crash-child.ts'), data.dir, PHONE, MONDAY_10], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /^BOOKED (\S+) (\S+)$/.exec(line);
      if (!match) continue;
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      return { callId: match[1]!, stateAtKill: match[2]! };
    }
    throw new Error(`the child ended without booking a callback: ${stderr.slice(-2_000)}`);
  } finally {
    clearTimeout(timer);
  }
}

describe.runIf(espeak)('kill -9 in the middle of a call whose caller just booked a callback', () => {
  it('keeps the callback after the restart, closes the call, and dials the callback at its time', async () => {
    const { callId, stateAtKill } = await bookThenKill();
    expect(stateAtKill).toBe('in-call'); // killed mid-call, not after it ended

    const clock = new ManualClock(Date.parse(MONDAY_10) + 60_000);
    restarted = await testEngine({ clock, dir: data.dir });
    const [booked] = await restarted.client.call('callbacks.list', { scope: 'all' });
    expect(booked).toMatchObject({ originCallId: callId, source: 'caller', askedWords: 'tomorrow at ten', dueAt: '2026-12-08T15:00:00.000Z', state: 'scheduled' });

    // The restart closes the call the crash left open.
    await restarted.engine.context.dialing.dialer.tick();
    const sqlite = restarted.engine.context.store.sqlite;
    const attempt = sqlite.prepare('select state from dial_attempts where id = ?').get(callId) as { state: string };
    expect(attempt.state).toBe('ended');

    // Nothing is placed before the due time; at 10:00 the next day the callback is dialled.
    clock.set(Date.parse('2026-12-08T14:59:00.000Z'));
    expect((await restarted.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);
    clock.set(Date.parse('2026-12-08T15:00:00.000Z'));
    const placed = await restarted.engine.context.dialing.dialer.tick();
    expect(placed.placed).toHaveLength(1);
    expect((await restarted.client.call('callbacks.list', { scope: 'all' }))[0]).toMatchObject({ state: 'dialing' });
  }, 150_000);
});
