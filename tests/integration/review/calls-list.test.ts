import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallListRow, CallsCursor } from '../../../electron/contracts';
import { DAY, insertCall, insertCampaign, insertContact, openReview, type ReviewHarness } from './harness';

let h: ReviewHarness;
const t0 = Date.UTC(2026, 1, 1, 9);

beforeAll(async () => {
  h = await openReview();
  insertCampaign(h, 'camp-a', 'Spring offer');
  insertCampaign(h, 'camp-b', 'Renewals');
  insertContact(h, 'ct-1', 'Dana Reyes', '+15550100001');
  insertCall(h, { id: 'call-refund', campaignId: 'camp-a', contactId: 'ct-1', createdAt: t0, durationMs: 90_000, score: 0.8, variant: 'B', lines: [['agent', 'Hello, this is Parley calling about your order.'], ['caller', 'I would like to ask about the refund policy please.']] });
  insertCall(h, { id: 'call-policy', campaignId: 'camp-a', createdAt: t0 + DAY, durationMs: 30_000, score: 0.2, lines: [['caller', 'What is the policy on refund requests?']] });
  insertCall(h, { id: 'call-dry', campaignId: 'camp-b', createdAt: t0 + 2 * DAY, dryRun: true, direction: 'inbound', lineId: 'sim-line', lines: [['caller', 'Just testing the line.']] });
  for (let i = 0; i < 25; i++) insertCall(h, { id: `bulk-${String(i).padStart(2, '0')}`, campaignId: 'camp-b', createdAt: t0 + 3 * DAY + i * 60_000, lines: [['agent', `Bulk call number ${i}`]] });
  h.sqlite.prepare(`insert into call_events (call_id, at, kind, data) values ('call-policy', ?, 'supervisor.takeover', '{"supervisor":"sam","detail":"took over"}')`).run(t0 + DAY + 10_000);
  h.sqlite
    .prepare(`insert into turn_emotions (call_id, campaign_id, seq, at, label, confidence, valence, arousal, text_reading, voice, smoothed_label, smoothed_valence, smoothed_arousal, frustration) values ('call-policy', 'camp-a', 0, ?, 'frustrated', 0.9, -0.6, 0.7, '{}', null, 'frustrated', -0.6, 0.7, 0.8)`)
    .run(t0 + DAY + 6_000);
});
afterAll(async () => h?.close());

const list = (input: Record<string, unknown>) => h.client.call('calls.list', input as never);
const ids = (rows: CallListRow[]) => rows.map((r) => r.id);

describe('full-text search over transcripts', () => {
  it('finds calls by a word in any turn, with the match highlighted', async () => {
    const page = await list({ filter: { search: 'refund' } });
    expect(ids(page.rows).sort()).toEqual(['call-policy', 'call-refund']);
    const row = page.rows.find((r) => r.id === 'call-refund')!;
    expect(row.snippet).toContain('\u0002refund\u0003');
  });

  it('a quoted phrase matches only those words next to each other', async () => {
    expect(ids((await list({ filter: { search: '"refund policy"' } })).rows)).toEqual(['call-refund']);
    expect(ids((await list({ filter: { search: '"policy on refund"' } })).rows)).toEqual(['call-policy']);
  });

  it('FTS syntax typed by a user is taken as words, never an error', async () => {
    expect(ids((await list({ filter: { search: 'refund* (policy:' } })).rows).sort()).toEqual(['call-policy', 'call-refund']);
    expect((await list({ filter: { search: '"*^-' } })).rows.length).toBe(28);
  });

  it('stays in step with the transcript: new turns are found, deleted and edited turns are not', async () => {
    expect((await list({ filter: { search: 'voucher' } })).rows).toHaveLength(0);
    h.sqlite.prepare(`insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values ('bulk-03', 5, 'caller', 'Can I use my voucher?', 0, 0, 0)`).run();
    expect(ids((await list({ filter: { search: 'voucher' } })).rows)).toEqual(['bulk-03']);
    h.sqlite.prepare(`update transcript_turns set text = 'Can I use my coupon?' where call_id = 'bulk-03' and seq = 5`).run();
    expect((await list({ filter: { search: 'voucher' } })).rows).toHaveLength(0);
    expect(ids((await list({ filter: { search: 'coupon' } })).rows)).toEqual(['bulk-03']);
    h.sqlite.prepare(`delete from transcript_turns where call_id = 'bulk-03' and seq = 5`).run();
    expect((await list({ filter: { search: 'coupon' } })).rows).toHaveLength(0);
  });
});

describe('filters', () => {
  it('campaign, direction, dry run, date range, duration, score, variant, emotion, takeover', async () => {
    expect((await list({ filter: { campaignId: 'camp-a' } })).rows).toHaveLength(2);
    expect(ids((await list({ filter: { direction: 'inbound' } })).rows)).toEqual(['call-dry']);
    expect(ids((await list({ filter: { lineId: 'sim-line' } })).rows)).toEqual(['call-dry']);
    expect(ids((await list({ filter: { maxScore: 0.5 } })).rows)).toEqual(['call-policy']);
    expect(ids((await list({ filter: { runs: 'dry' } })).rows)).toEqual(['call-dry']);
    expect((await list({ filter: { runs: 'real' } })).rows).toHaveLength(27);
    expect(ids((await list({ filter: { from: '2026-02-02', to: '2026-02-03' } })).rows)).toEqual(['call-dry', 'call-policy']);
    expect(ids((await list({ filter: { minDurationS: 80 } })).rows)).toEqual(['call-refund']);
    expect(ids((await list({ filter: { maxDurationS: 40 } })).rows)).toEqual(['call-policy']);
    expect(ids((await list({ filter: { minScore: 0.5 } })).rows)).toEqual(['call-refund']);
    expect(ids((await list({ filter: { variant: 'B' } })).rows)).toEqual(['call-refund']);
    expect(ids((await list({ filter: { emotion: 'frustrated' } })).rows)).toEqual(['call-policy']);
    expect(ids((await list({ filter: { tookOver: true } })).rows)).toEqual(['call-policy']);
    expect((await list({ filter: { tookOver: false } })).rows).toHaveLength(27);
    expect(ids((await list({ filter: { outcome: 'interested' } })).rows).sort()).toEqual(['call-policy', 'call-refund']);
  });

  it('refuses a malformed date with one clear error', async () => {
    await expect(list({ filter: { from: 'yesterday' } })).rejects.toThrow(/from: Use YYYY-MM-DD/);
  });
});

describe('keyset pages and sorting', () => {
  it('walks every call exactly once, newest first, page by page', async () => {
    const seen: string[] = [];
    let after: CallsCursor | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await list({ limit: 6, ...(after ? { after } : {}) });
      seen.push(...ids(page.rows));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(28);
    expect(new Set(seen).size).toBe(28);
    expect(seen[0]).toBe('bulk-24');
    expect(seen.at(-1)).toBe('call-refund');
  });

  it('sorts by duration and by lead score', async () => {
    expect((await list({ sort: 'longest', limit: 1 })).rows[0]!.id).toBe('call-refund');
    expect((await list({ sort: 'shortest', limit: 1 })).rows[0]!.id).toBe('call-policy');
    expect(ids((await list({ sort: 'score', limit: 2 })).rows)).toEqual(['call-refund', 'call-policy']);
    // By score, page by page: analysed calls first (best first), then every unanalysed one, each once.
    const byScore: string[] = [];
    let after: CallsCursor | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await list({ sort: 'score', limit: 3, ...(after ? { after } : {}) });
      byScore.push(...ids(page.rows));
      if (!page.next) break;
      after = page.next;
    }
    expect(byScore.slice(0, 2)).toEqual(['call-refund', 'call-policy']);
    expect(new Set(byScore).size).toBe(28);
    expect(byScore).toHaveLength(28);
    const oldest = await list({ sort: 'oldest', limit: 2 });
    const next = await list({ sort: 'oldest', limit: 2, after: oldest.next! });
    expect([...ids(oldest.rows), ...ids(next.rows)]).toEqual(['call-refund', 'call-policy', 'call-dry', 'bulk-00']);
  });
});

describe('scope, views, notes, export', () => {
  it('a supervisor sees only the calls of their campaigns, and cannot open another campaign call', async () => {
    const supervisor = h.clientAs({ role: 'supervisor', campaignIds: ['camp-a'], userId: 'sup-1', username: 'sup' });
    expect(ids((await supervisor.call('calls.list', {})).rows).sort()).toEqual(['call-policy', 'call-refund']);
    await expect(supervisor.call('calls.get', { callId: 'call-dry' })).rejects.toThrow(/not assigned/);
    expect((await supervisor.call('calls.get', { callId: 'call-refund' })).transcript).toHaveLength(2);
  });

  it('saved views belong to their user', async () => {
    const admin = h.engine.localActor('test');
    const view = await h.client.call('views.save', { name: 'Refunds', query: { filter: { search: 'refund' }, sort: 'score' } });
    expect((await h.client.call('views.list', {})).map((v) => v.name)).toEqual(['Refunds']);
    const other = h.clientAs({ role: 'viewer', userId: `${admin.userId}-other`, username: 'other' });
    expect(await other.call('views.list', {})).toEqual([]);
    expect((await other.call('views.delete', { id: view.id })).removed).toBe(false);
    expect((await h.client.call('views.delete', { id: view.id })).removed).toBe(true);
  });

  it('notes carry the author of the session', async () => {
    const note = await h.client.call('calls.addNote', { callId: 'call-refund', text: 'Send the refund form.' });
    expect(note.author).toBe(h.engine.localActor('test').username);
    const page = await h.client.call('calls.get', { callId: 'call-refund' });
    expect(page.notes.map((n) => n.text)).toEqual(['Send the refund form.']);
    expect(page.analysis?.nextAction.kind).toBe('send_info');
    expect(page.call.variant).toBe('B');
  });

  it('exports the current view as CSV, page by page, with a header once', async () => {
    const first = await h.client.call('calls.exportPage', { filter: { campaignId: 'camp-b' }, limit: 20 });
    expect(first.csv.split('\n')[0]).toBe('call_id,created_at,campaign,contact,line,direction,outcome,duration_s,lead_score,dry_run,legal_hold,recording');
    expect(first.rows).toBe(20);
    const second = await h.client.call('calls.exportPage', { filter: { campaignId: 'camp-b' }, limit: 20, after: first.next! });
    expect(second.rows).toBe(6);
    expect(second.next).toBeNull();
    expect(second.csv).not.toContain('call_id');
  });
});
