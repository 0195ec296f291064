import type BetterSqlite3 from 'better-sqlite3';
import { AttemptOutcome, type CampaignCounters } from '../../contracts';

const zeros = () => Object.fromEntries(AttemptOutcome.options.map((o) => [o, 0])) as Record<AttemptOutcome, number>;

/** Live counters of one campaign, straight from the queue and the attempt log (two grouped index scans). */
export class CampaignCounterQueries {
  private readonly queue: BetterSqlite3.Statement;
  private readonly attempts: BetterSqlite3.Statement;

  constructor(sqlite: BetterSqlite3.Database) {
    this.queue = sqlite.prepare(
      'select state, last_outcome as outcome, count(*) as n from campaign_contacts where campaign_id = ? group by state, last_outcome',
    );
    this.attempts = sqlite.prepare('select state, outcome, count(*) as n from dial_attempts where campaign_id = ? group by state, outcome');
  }

  counters(campaignId: string): CampaignCounters {
    const counters: CampaignCounters = {
      campaignId,
      enrolled: 0,
      queued: 0,
      dialing: 0,
      inCall: 0,
      finished: zeros(),
      dncSkipped: 0,
      consentSkipped: 0,
      attempts: zeros(),
    };
    for (const row of this.queue.all(campaignId) as Array<{ state: string; outcome: string | null; n: number }>) {
      counters.enrolled += row.n;
      if (row.state === 'queued') counters.queued += row.n;
      else if (row.state === 'dnc') counters.dncSkipped += row.n;
      else if (row.state === 'no-consent') counters.consentSkipped += row.n;
      else if (row.state === 'done') {
        const outcome = AttemptOutcome.safeParse(row.outcome);
        counters.finished[outcome.success ? outcome.data : 'unknown'] += row.n;
      }
    }
    for (const row of this.attempts.all(campaignId) as Array<{ state: string; outcome: string | null; n: number }>) {
      if (row.state === 'dialing') counters.dialing += row.n;
      else if (row.state === 'in-call') counters.inCall += row.n;
      else {
        const outcome = AttemptOutcome.safeParse(row.outcome);
        counters.attempts[outcome.success ? outcome.data : 'unknown'] += row.n;
      }
    }
    return counters;
  }
}
