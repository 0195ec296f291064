import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignSettings, DEFAULT_CAMPAIGN_SETTINGS } from '../../../electron/contracts';
import { INTERRUPTED_AFTER_MS, LeftOpenCalls } from '../../../electron/engine/dialer/left-open-calls';
import { openStore, type Store } from '../../../electron/engine/storage/database';
import { tempDataDir } from '../../support/temp-dir';

describe('calls a stopped engine left open', () => {
  const data = tempDataDir();
  let store: Store;
  const t0 = 1_800_000_000_000;

  beforeAll(async () => {
    store = await openStore(data.dir);
    const call = store.sqlite.prepare("insert into calls (id, direction, state, started_at, answered_at, ended_at, created_at, dry_run) values (?, 'outbound', ?, ?, ?, ?, ?, 0)");
    const turn = store.sqlite.prepare('insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values (?, ?, ?, ?, ?, ?, 0)');
    call.run('talking', 'in-call', t0, t0 + 2_000, null, t0);
    turn.run('talking', 0, 'agent', 'Hello, this is Sam.', t0 + 2_100, t0 + 4_000);
    turn.run('talking', 1, 'caller', 'Yes, go on.', t0 + 5_000, t0 + 2_000 + INTERRUPTED_AFTER_MS + 3_000);
    call.run('ringing', 'dialing', t0, null, null, t0);
    call.run('hello-only', 'in-call', t0, t0 + 1_000, null, t0);
    turn.run('hello-only', 0, 'agent', 'Hello?', t0 + 1_100, t0 + 2_000);
    call.run('running-here', 'in-call', t0, t0 + 1_000, null, t0);
    call.run('finished', 'ended', t0, t0 + 1_000, t0 + 60_000, t0);
  });
  afterAll(async () => {
    await store.dispose();
    data.cleanup();
  });

  it('a person in conversation is interrupted, anything shorter unknown; a call this process runs is left alone', () => {
    const left = new LeftOpenCalls(store.sqlite);
    const found = left.find((id) => id === 'running-here');
    expect(Object.fromEntries(found.map((c) => [c.id, c.outcome]))).toEqual({ talking: 'interrupted', ringing: 'unknown', 'hello-only': 'unknown' });
    expect(found.find((c) => c.id === 'talking')!.talkedMs).toBe(INTERRUPTED_AFTER_MS + 3_000);

    left.closeCalls(found, t0 + 3_600_000);
    const rows = store.sqlite.prepare('select id, state, outcome, ended_at from calls order by id').all();
    expect(rows).toEqual([
      { id: 'finished', state: 'ended', outcome: null, ended_at: t0 + 60_000 },
      // Ended when it was last heard of, not an hour later when Parley came back.
      { id: 'hello-only', state: 'ended', outcome: 'unknown', ended_at: t0 + 2_000 },
      { id: 'ringing', state: 'ended', outcome: 'unknown', ended_at: t0 },
      { id: 'running-here', state: 'in-call', outcome: null, ended_at: null },
      { id: 'talking', state: 'ended', outcome: 'interrupted', ended_at: t0 + 2_000 + INTERRUPTED_AFTER_MS + 3_000 },
    ]);
    const notes = store.sqlite.prepare("select call_id from call_events where kind = 'call.interrupted' order by call_id").all();
    expect(notes).toEqual([{ call_id: 'hello-only' }, { call_id: 'ringing' }, { call_id: 'talking' }]);
    expect(left.find(() => false).map((c) => c.id)).toEqual(['running-here']);
  });

  it('campaigns saved before the interrupted delay existed read it as three hours', () => {
    const { interrupted: _dropped, ...older } = DEFAULT_CAMPAIGN_SETTINGS.retryDelayMinutes;
    const parsed = CampaignSettings.parse({ ...DEFAULT_CAMPAIGN_SETTINGS, retryDelayMinutes: older });
    expect(parsed.retryDelayMinutes.interrupted).toBe(180);
  });
});
