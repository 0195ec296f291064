import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsFilter, DEFAULT_CAMPAIGN_SETTINGS } from '../../../electron/contracts';
import { EXPORT_PAGE_ROWS, exportCsv, type ExportCursor } from '../../../electron/engine/analytics/csv-export';
import { openStore, type Store } from '../../../electron/engine/storage/database';
import { tempDataDir } from '../../support/temp-dir';

describe('the analytics export, page by page', () => {
  const data = tempDataDir();
  let store: Store;
  const CALLS = 4_500;
  const t0 = Date.parse('2026-11-02T15:00:00Z');

  beforeAll(async () => {
    store = await openStore(data.dir);
    const now = Date.now();
    store.sqlite.prepare("insert into campaigns (id, name, status, agent_prompt, questions, created_at, updated_at, settings) values ('c1', 'Export', 'running', '', '[]', ?, ?, ?)").run(now, now, JSON.stringify(DEFAULT_CAMPAIGN_SETTINGS));
    const contact = store.sqlite.prepare("insert into contacts (id, name, phone_e164, custom, created_at, updated_at) values (?, ?, ?, '{}', ?, ?)");
    const attempt = store.sqlite.prepare("insert into dial_attempts (id, campaign_id, contact_id, attempt, phone_e164, state, outcome, created_at, dry_run) values (?, 'c1', ?, 1, ?, 'ended', 'completed', ?, 0)");
    store.sqlite.transaction(() => {
      for (let i = 0; i < CALLS; i++) {
        const phone = `+1415${String(5_550_000 + i)}`;
        contact.run(`k${i}`, `=Person ${i}`, phone, now, now);
        // Every tenth pair shares a time: the cursor must page through ties by id.
        attempt.run(`a${String(i).padStart(5, '0')}`, `k${i}`, phone, t0 + Math.floor(i / 2) * 1_000);
      }
    })();
  });
  afterAll(async () => {
    await store.dispose();
    data.cleanup();
  });

  it('pages of at most 500 rows, one header, every call once and in order, formulas neutralised', () => {
    const pages: string[] = [];
    let after: ExportCursor | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = exportCsv(store.sqlite, { ...AnalyticsFilter.parse({ campaignId: 'c1' }), kind: 'calls', ...(after ? { after } : {}) });
      expect(page.rows).toBeLessThanOrEqual(EXPORT_PAGE_ROWS);
      pages.push(page.csv);
      if (!page.next) break;
      after = page.next;
    }
    expect(pages).toHaveLength(Math.ceil(CALLS / EXPORT_PAGE_ROWS));
    const rows = parse(pages.join(''), { columns: true }) as Array<{ call_id: string; contact: string }>;
    expect(rows).toHaveLength(CALLS);
    expect(rows.map((r) => r.call_id)).toEqual(Array.from({ length: CALLS }, (_, i) => `a${String(i).padStart(5, '0')}`));
    expect(rows[0]!.contact).toBe("'=Person 0");
  });
});
