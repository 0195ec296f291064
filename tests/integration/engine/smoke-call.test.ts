import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine';
import { runSmokeCall } from '../../../electron/main/smoke-test';
import { tempDataDir } from '../../support/temp-dir';

const espeak = (() => {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: the simulated caller speaks with it');
  console.warn('[not run] the packaged app smoke call: espeak-ng is not installed');
}

describe('the packaged app’s smoke test (Parley --smoke-test)', () => {
  const data = tempDataDir('parley-smoke-');
  let engine: Engine | undefined;
  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('places one dry-run call that the agent speaks in and that ends, and leaves no campaign behind', async () => {
    if (!espeak) return;
    engine = await createEngine({ dataDir: data.dir, logLevel: 'silent' });
    const result = await runSmokeCall(engine, 30_000);
    expect(result).toMatchObject({ ok: true, detail: expect.stringMatching(/dry-run call answered, \d+ agent turn/) });
    const campaigns = await engine.invoke('campaigns.list', {});
    expect(campaigns.ok && campaigns.result).toEqual([]);
    expect((engine.context.store.sqlite.prepare('select count(*) as n from contacts').get() as { n: number }).n).toBe(0);
  });
});
