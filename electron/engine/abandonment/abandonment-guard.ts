import { ABANDON_CAP_PERCENT } from '../../contracts';
import type { CampaignLifecycle } from '../dialer/campaign-lifecycle';
import { concurrencyUnderAbandonment } from '../domain/abandonment';
import type { Logger } from '../logging';
import type { AbandonmentRates } from './abandonment-rates';

/**
 * The dialer's brake: fewer calls at once as a campaign's abandonment rate nears the cap, and at
 * the cap the campaign is paused with the reason (no new calls; calls in progress go on).
 */
export class AbandonmentGuard {
  constructor(
    private readonly deps: { rates: AbandonmentRates; lifecycle: CampaignLifecycle; logger: Logger },
  ) {}

  /** Calls the campaign may have at once now (0: capped, and paused here). */
  async allowedCalls(campaignId: string, maxConcurrentCalls: number): Promise<number> {
    const rate = this.deps.rates.rate(campaignId);
    const allowed = concurrencyUnderAbandonment(maxConcurrentCalls, rate.percent);
    if (allowed > 0) return allowed;
    const reason =
      `Abandoned calls reached ${rate.percent.toFixed(2)}% (${rate.abandoned} of ${rate.answered} answered in ${rate.windowDays} days); ` +
      `the limit is ${ABANDON_CAP_PERCENT}%`;
    try {
      await this.deps.lifecycle.apply(campaignId, 'pause', reason);
      this.deps.logger.warn({ campaignId, percent: rate.percent }, 'campaign paused at the abandoned-call limit');
    } catch (error) {
      // Paused or stopped meanwhile: it places no calls either way.
      this.deps.logger.info({ err: error, campaignId }, 'campaign at the abandoned-call limit was not running');
    }
    return 0;
  }
}
