import type BetterSqlite3 from 'better-sqlite3';
import { ABANDON_WINDOW_DAYS, type AbandonmentRate } from '../../contracts';
import type { Clock } from '../clock';
import { abandonmentPercent, abandonmentState } from '../domain/abandonment';

const WINDOW_MS = ABANDON_WINDOW_DAYS * 24 * 60 * 60_000;

interface CountRow {
  campaign_id: string;
  answered: number;
  abandoned: number | null;
}

/**
 * The abandoned-call rate per campaign over the rolling window, from the calls the voice pipeline
 * marked (`calls.abandoned`: null for machines and calls not yet ended). Dry runs never count.
 */
export class AbandonmentRates {
  private readonly one: BetterSqlite3.Statement<[string, number], CountRow>;
  private readonly all: BetterSqlite3.Statement<[number], CountRow>;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {
    const counts = 'select campaign_id, count(*) as answered, sum(abandoned) as abandoned from calls';
    const live = 'dry_run = 0 and abandoned is not null and answered_at >= ?';
    this.one = sqlite.prepare(`${counts} where campaign_id = ? and ${live}`);
    this.all = sqlite.prepare(`${counts} where campaign_id is not null and ${live} group by campaign_id order by campaign_id`);
  }

  rate(campaignId: string): AbandonmentRate {
    const row = this.one.get(campaignId, this.since());
    return toRate(campaignId, row?.answered ?? 0, row?.abandoned ?? 0);
  }

  /** Every campaign with an answered call in the window. */
  rates(): AbandonmentRate[] {
    return this.all.all(this.since()).map((r) => toRate(r.campaign_id, r.answered, r.abandoned ?? 0));
  }

  private since(): number {
    return this.clock.now() - WINDOW_MS;
  }
}

function toRate(campaignId: string, answered: number, abandoned: number): AbandonmentRate {
  const percent = abandonmentPercent(answered, abandoned);
  return { campaignId, answered, abandoned, percent: Math.round(percent * 100) / 100, state: abandonmentState(percent), windowDays: ABANDON_WINDOW_DAYS };
}
