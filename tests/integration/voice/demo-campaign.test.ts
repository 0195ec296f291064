import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine';
import { DEMO_CONTACTS, runDemoCampaign, seedSampleData } from '../../../electron/server/sample-data';
import { tempDataDir } from '../../support/temp-dir';

/** What `parley demo` runs: contacts imported, a campaign launched, the dialer calling through the voice pipeline. */
describe('the demo campaign', () => {
  const data = tempDataDir();
  let engine: Engine | undefined;

  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('dials every demo contact through the dialer and the pipeline, and stores the results', async () => {
    engine = await createEngine({ dataDir: data.dir, logger: pino({ level: 'silent' }), dialer: { mode: 'timer' } });
    await seedSampleData(engine);
    const lines: string[] = [];
    const summary = await runDemoCampaign(engine, (line) => lines.push(line));
    expect(summary.outcomes).toEqual({ completed: 5, voicemail: 1, busy: 1 });
    expect(summary.turns).toBeGreaterThanOrEqual(10);
    expect(summary.voiceToVoiceP50Ms).toBeGreaterThan(500);
    expect(lines.some((l) => l.includes('Jonas Berg (number-reader): completed'))).toBe(true);

    const db = engine.context.store.db;
    const calls = await db.selectFrom('calls').selectAll().where('campaign_id', '=', summary.campaignId).execute();
    expect(calls).toHaveLength(DEMO_CONTACTS.length);
    expect(calls.every((c) => c.state === 'ended')).toBe(true);
    const answered = calls.filter((c) => c.answered_at !== null);
    for (const call of answered) {
      const turns = await db.selectFrom('transcript_turns').select('speaker').where('call_id', '=', call.id).execute();
      expect(turns.length, `turns of ${call.id}`).toBeGreaterThan(0);
    }
    // Callers hear who is calling (the company and agent names), never the campaign's internal name.
    const openings = await db.selectFrom('transcript_turns').select('text').where('seq', '=', 0).where('speaker', '=', 'agent').where('call_id', 'in', answered.map((c) => c.id)).execute();
    expect(openings.some((o) => o.text.startsWith('Hello Dana, this is Sam calling on behalf of Northside Auto.'))).toBe(true);
    for (const o of openings) expect(o.text).not.toContain('Demo:');
    // The demo is a dry run on a simulated line, and says so: the caller who asked not to be called
    // again is not put on the real list, and no contact's own record changes.
    expect(lines.some((l) => l.includes('dry run on the simulated line'))).toBe(true);
    expect(calls.every((c) => c.dry_run === 1)).toBe(true);
    expect(await db.selectFrom('dnc_numbers').selectAll().execute()).toEqual([]);
    const contacts = await db.selectFrom('contacts').select(['attempt_count', 'last_outcome', 'last_attempt_at']).execute();
    expect(contacts.every((c) => c.attempt_count === 0 && c.last_outcome === null && c.last_attempt_at === null)).toBe(true);
  }, 200_000);
});
