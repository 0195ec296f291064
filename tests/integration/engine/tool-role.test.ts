import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine';
import { tempDataDir } from '../../support/temp-dir';
import { sleep } from '../../support/wait';

/** A data folder with an ended call nobody has analysed yet (as a server that stopped would leave it). */
async function folderWithUnanalysedCall() {
  const data = tempDataDir('parley-tool-');
  const setup = await createEngine({ dataDir: data.dir, logLevel: 'silent', role: 'tool' });
  const now = Date.now();
  setup.context.store.sqlite.prepare("insert into calls (id, direction, state, outcome, started_at, answered_at, ended_at, created_at, dry_run) values ('c1', 'outbound', 'ended', 'completed', ?, ?, ?, ?, 1)").run(now - 60_000, now - 55_000, now - 1_000, now - 60_000);
  setup.context.store.sqlite.prepare("insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values ('c1', 0, 'caller', 'Yes, I am interested, send me the prices.', ?, ?, 0)").run(now - 20_000, now - 18_000);
  await setup.dispose();
  return data;
}

const analyses = (engine: Engine) => (engine.context.store.sqlite.prepare('select count(*) as n from call_analysis').get() as { n: number }).n;

describe('engine roles', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('a one-shot command (tool role) answers commands but loads no model and writes no analysis', async () => {
    const data = await folderWithUnanalysedCall();
    cleanups.push(data.cleanup);
    const engine = await createEngine({ dataDir: data.dir, logLevel: 'silent', role: 'tool' });
    try {
      expect((await engine.invoke('campaigns.list', {})).ok).toBe(true);
      await sleep(500);
      // The bundled Silero VAD and every other engine were never loaded.
      expect(engine.context.voice.runtime.status().filter((s) => s.role !== 'telephony').map((s) => s.state)).toEqual(['loading', 'loading', 'loading', 'loading']);
      expect(analyses(engine)).toBe(0);
    } finally {
      await engine.dispose();
    }
  });

  it('the same folder opened by a serving engine loads its engines and analyses the call', async () => {
    const data = await folderWithUnanalysedCall();
    cleanups.push(data.cleanup);
    const engine = await createEngine({ dataDir: data.dir, logLevel: 'silent', role: 'server' });
    try {
      await engine.context.voice.runtime.ready();
      expect(engine.context.voice.runtime.status().find((s) => s.role === 'vad')!.state).not.toBe('loading');
      for (let i = 0; i < 100 && analyses(engine) === 0; i++) await sleep(50);
      expect(analyses(engine)).toBe(1);
    } finally {
      await engine.dispose();
    }
  });
});
