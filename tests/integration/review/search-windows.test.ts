import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallsCursor, CallsSort } from '../../../electron/contracts';
import { insertCampaign, openReview, type ReviewHarness } from './harness';

let h: ReviewHarness;
const CALLS = 3_000;
const t0 = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  h = await openReview();
  insertCampaign(h, 'even', 'Even');
  insertCampaign(h, 'odd', 'Odd');
  const call = h.sqlite.prepare(`insert into calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at) values (?, ?, null, 'outbound', 'ended', 'completed', ?, ?, ?, ?)`);
  const turn = h.sqlite.prepare(`insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values (?, ?, 'caller', ?, 0, 0, 0)`);
  h.sqlite.transaction(() => {
    for (let i = 0; i < CALLS; i++) {
      const id = `c${String(i).padStart(5, '0')}`;
      // Several calls share a start time, so the id breaks ties across page and window edges.
      const at = t0 + Math.floor(i / 3) * 1000;
      call.run(id, i % 2 ? 'odd' : 'even', at, at, at + 1000, at);
      turn.run(id, 0, 'Good morning, how can I help?');
      // Every call says "the usual order"; every seventh also says "a special order".
      turn.run(id, 1, i % 7 === 0 ? 'I want a special order please' : 'The usual order please');
    }
  })();
});
afterAll(async () => h?.close());

async function all(filter: Record<string, unknown>, sort: CallsSort, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: CallsCursor | undefined;
  for (let i = 0; i < 200; i++) {
    const page = await h.client.call('calls.list', { filter: filter as never, sort, limit, ...(after ? { after } : {}) });
    ids.push(...page.rows.map((r) => r.id));
    for (const row of page.rows) expect(row.snippet).toContain('order\u0003');
    if (!page.next) break;
    after = page.next;
  }
  return ids;
}

const expected = (keep: (i: number) => boolean, sort: 'newest' | 'oldest') => {
  const ids = Array.from({ length: CALLS }, (_, i) => i).filter(keep).map((i) => `c${String(i).padStart(5, '0')}`);
  return sort === 'newest' ? ids.reverse() : ids;
};

describe('a term most calls contain (searched window by window, or call by call for other sorts)', () => {
  it('pages through every match in order, newest and oldest first', async () => {
    expect(await all({ search: 'order' }, 'newest', 250)).toEqual(expected(() => true, 'newest'));
    expect(await all({ search: 'order' }, 'oldest', 400)).toEqual(expected(() => true, 'oldest'));
  });

  it('combines with filters and phrases', async () => {
    expect(await all({ search: 'order', campaignId: 'odd' }, 'newest', 300)).toEqual(expected((i) => i % 2 === 1, 'newest'));
    expect(await all({ search: '"usual order"', campaignId: 'even' }, 'newest', 300)).toEqual(expected((i) => i % 2 === 0 && i % 7 !== 0, 'newest'));
    expect(await all({ search: '"special order"' }, 'oldest', 100)).toEqual(expected((i) => i % 7 === 0, 'oldest'));
  });

  it('sorted by duration, finds every match once', async () => {
    const found = await all({ search: '"usual order"' }, 'longest', 500);
    expect([...found].sort()).toEqual(expected((i) => i % 7 !== 0, 'oldest'));
  });
});
