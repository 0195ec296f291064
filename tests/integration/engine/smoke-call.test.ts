import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine';
import { runSmokeCall } from '../../../electron/main/smoke-test';
import { tempDataDir } from '../../support/temp-dir';

describe('the packaged app’s smoke test (Parley --smoke-test)', () => {
  const data = tempDataDir('parley-smoke-');
  let engine: Engine | undefined;
  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('places one dry-run call that the agent speaks in and that ends, and leaves no campaign behind, with no system espeak-ng', async () => {
    // As on a fresh Windows or macOS machine: no espeak-ng binary, so the built-in (WebAssembly) one speaks for both sides.
    engine = await createEngine({ dataDir: data.dir, logLevel: 'silent', voice: { espeak: { binary: '/nonexistent/espeak-ng' } } });
    const result = await runSmokeCall(engine, 30_000);
    expect(result).toMatchObject({ ok: true, detail: expect.stringMatching(/dry-run call answered, \d+ agent turn.*espeak-ng \(built in\)/) });
    const campaigns = await engine.invoke('campaigns.list', {});
    expect(campaigns.ok && campaigns.result).toEqual([]);
    expect((engine.context.store.sqlite.prepare('select count(*) as n from contacts').get() as { n: number }).n).toBe(0);
  });
});
