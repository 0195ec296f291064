import type BetterSqlite3 from 'better-sqlite3';
import { ProviderPrices, type UsageUnit } from '../../contracts';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import type { CallUsage, UsageItem } from './call-usage';

/** USD for `quantity` of `unit` at a provider's prices; undefined when the provider has no price for it. */
export function priceOf(prices: ProviderPrices, unit: UsageUnit, quantity: number): number | undefined {
  switch (unit) {
    case 'input-tokens':
      return prices.inputPerMillionTokens === undefined ? undefined : (quantity / 1_000_000) * prices.inputPerMillionTokens;
    case 'output-tokens':
      return prices.outputPerMillionTokens === undefined ? undefined : (quantity / 1_000_000) * prices.outputPerMillionTokens;
    case 'characters':
      return prices.perMillionCharacters === undefined ? undefined : (quantity / 1_000_000) * prices.perMillionCharacters;
    case 'audio-seconds':
      return prices.perAudioMinute === undefined ? undefined : (quantity / 60) * prices.perAudioMinute;
    case 'call-seconds':
      return prices.perCallHour === undefined ? undefined : (quantity / 3_600) * prices.perCallHour;
    default:
      return undefined;
  }
}

/**
 * Turns a call's measured usage into `call_costs` rows at the prices configured now: each provider's
 * prices (Providers screen), each line's per-minute rate. Usage without a price is still written, at
 * $0, so the record says what was used. Written before the call is announced as ended, so budgets
 * see it.
 */
export class CallCosts {
  private readonly insert: BetterSqlite3.Statement;
  private readonly provider: BetterSqlite3.Statement;
  private readonly line: BetterSqlite3.Statement;

  constructor(private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock; logger: Logger }) {
    this.insert = deps.sqlite.prepare('insert into call_costs (call_id, campaign_id, item, amount_usd, created_at, quantity, unit, provider_id) values (?, ?, ?, ?, ?, ?, ?, ?)');
    this.provider = deps.sqlite.prepare('select name, prices from providers where id = ?');
    this.line = deps.sqlite.prepare('select name, rate_per_minute_usd from lines where id = ?');
  }

  record(callId: string, campaignId: string | null, usage: CallUsage): number {
    const now = this.deps.clock.now();
    let total = 0;
    try {
      this.deps.sqlite.transaction(() => {
        for (const item of usage.items()) {
          const { label, amount, providerId } = this.price(item);
          total += amount;
          this.insert.run(callId, campaignId, label, amount, now, item.quantity, item.unit, providerId);
        }
      })();
    } catch (error) {
      this.deps.logger.error({ err: error, callId }, 'could not record the call’s costs');
    }
    return total;
  }

  private price(item: UsageItem): { label: string; amount: number; providerId: string | null } {
    if (item.role === 'line') {
      const line = item.source ? (this.line.get(item.source) as { name: string; rate_per_minute_usd: number | null } | undefined) : undefined;
      const rate = line?.rate_per_minute_usd ?? null;
      return { label: `line:${line?.name ?? 'line'}:${item.unit}`, amount: rate === null ? 0 : (item.quantity / 60) * rate, providerId: null };
    }
    const row = item.source ? (this.provider.get(item.source) as { name: string; prices: string } | undefined) : undefined;
    const prices = row ? (ProviderPrices.safeParse(JSON.parse(row.prices)).data ?? {}) : {};
    return { label: `${item.role}:${row?.name ?? 'local'}:${item.unit}`, amount: priceOf(prices, item.unit, item.quantity) ?? 0, providerId: row ? item.source : null };
  }
}
