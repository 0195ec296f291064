import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, insertCall, insertCampaign, insertRecording, openReview, type ReviewHarness } from './harness';

let h: ReviewHarness;

beforeAll(async () => {
  h = await openReview();
});
afterAll(async () => h?.close());

describe('retention purge', () => {
  it('deletes old recordings (files and rows) and transcripts per campaign, logs them, and spares calls on legal hold', async () => {
    const now = h.clock.now();
    insertCampaign(h, 'short', 'Short memory', { recordingRetentionDays: 30, transcriptRetentionDays: 60 });
    insertCampaign(h, 'keep', 'Keeps everything');
    insertCall(h, { id: 'old', campaignId: 'short', createdAt: now - 90 * DAY, lines: [['caller', 'An old conversation about invoices']] });
    insertCall(h, { id: 'middle', campaignId: 'short', createdAt: now - 45 * DAY, lines: [['caller', 'A middle conversation about invoices']] });
    insertCall(h, { id: 'held', campaignId: 'short', createdAt: now - 90 * DAY, lines: [['caller', 'A disputed conversation about invoices']] });
    insertCall(h, { id: 'fresh', campaignId: 'short', createdAt: now - 2 * DAY, lines: [['caller', 'A fresh conversation about invoices']] });
    insertCall(h, { id: 'kept', campaignId: 'keep', createdAt: now - 900 * DAY, lines: [['caller', 'An ancient conversation about invoices']] });
    const files = Object.fromEntries(['old', 'middle', 'held', 'fresh', 'kept'].map((id) => [id, insertRecording(h, id, now - 90 * DAY, 1).file]));
    await h.client.call('calls.setLegalHold', { callId: 'held', hold: true });
    h.sqlite.prepare(`insert into call_events (call_id, at, kind, data) values ('old', 0, 'caller.backchannel', '{"text":"uh-huh"}')`).run();

    const report = await h.client.call('retention.purge', {});
    expect(report).toMatchObject({ recordings: 2, transcripts: 1, held: 2 });
    expect(existsSync(files.old!)).toBe(false);
    expect(existsSync(files.middle!)).toBe(false);
    for (const id of ['held', 'fresh', 'kept']) expect(existsSync(files[id]!), id).toBe(true);
    const recordings = h.sqlite.prepare('select call_id from call_recordings order by call_id').all() as Array<{ call_id: string }>;
    expect(recordings.map((r) => r.call_id)).toEqual(['fresh', 'held', 'kept']);
    const withTurns = h.sqlite.prepare('select distinct call_id from transcript_turns order by call_id').all() as Array<{ call_id: string }>;
    expect(withTurns.map((r) => r.call_id)).toEqual(['fresh', 'held', 'kept', 'middle']);
    expect(h.sqlite.prepare(`select count(*) as n from call_events where call_id = 'old' and kind = 'caller.backchannel'`).get()).toEqual({ n: 0 });
    // The search index follows the transcript.
    const found = await h.client.call('calls.list', { filter: { search: 'invoices' } });
    expect(found.rows.map((r) => r.id).sort()).toEqual(['fresh', 'held', 'kept', 'middle']);

    const log = await h.client.call('retention.log', {});
    expect(log.map((e) => `${e.callId}:${e.kind}`).sort()).toEqual(['middle:recording', 'old:recording', 'old:transcript']);
    const audit = await h.client.call('audit.list', { action: 'retention.purge' });
    expect(audit.entries[0]?.detail).toMatchObject({ recordings: 2, transcripts: 1 });

    // Released from hold, the next purge takes it; a second run with nothing due removes nothing.
    await h.client.call('calls.setLegalHold', { callId: 'held', hold: false });
    expect(await h.client.call('retention.purge', {})).toMatchObject({ recordings: 1, transcripts: 1, held: 0 });
    expect(await h.client.call('retention.purge', {})).toMatchObject({ recordings: 0, transcripts: 0 });
    expect(existsSync(files.held!)).toBe(false);
  });

  it('only a manager may put a call on legal hold, and it is audited', async () => {
    const viewer = h.clientAs({ role: 'viewer' });
    await expect(viewer.call('calls.setLegalHold', { callId: 'fresh', hold: true })).rejects.toThrow(/manager/);
    await h.client.call('calls.setLegalHold', { callId: 'fresh', hold: true });
    const audit = await h.client.call('audit.list', { action: 'call.legal-hold' });
    expect(audit.entries.some((e) => e.target === 'call:fresh')).toBe(true);
  });

  it('runs by itself once a day on the engine clock', async () => {
    const before = h.engine.context.review.retention.lastPurgeAt();
    h.engine.context.review.retention.schedule(20);
    h.clock.advance(25 * 3_600_000);
    const deadline = Date.now() + 5_000;
    while (h.engine.context.review.retention.lastPurgeAt() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(h.engine.context.review.retention.lastPurgeAt()).toBe(h.clock.now());
    h.engine.context.review.retention.dispose();
  });
});
