import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type Budget } from '../../contracts';
import type { Clock } from '../clock';
import type { CampaignLifecycle } from '../dialer/campaign-lifecycle';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';

const WARN_AT = 0.8;
const CHECK_EVERY_MS = 60_000;

interface Limits {
  daily_usd: number | null;
  monthly_usd: number | null;
  updated_at: number;
  updated_by: string;
}

/** Midnight today and the first of this month, on the host's calendar. */
function periodStarts(now: number): { day: number; month: number; dayKey: string; monthKey: string } {
  const d = new Date(now);
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const month = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  const pad = (n: number) => String(n).padStart(2, '0');
  const monthKey = `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
  return { day, month, dayKey: `${monthKey}-${pad(d.getDate())}`, monthKey };
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/**
 * Spending limits (migration 019). Spend is what the calls' cost rows say (dry runs excluded). A second
 * after calls end, and every minute, each limit is compared with its spend: at 80% one alert per period, at
 * 100% an alert and the campaign pauses (the office limit pauses every running campaign); a spent
 * campaign cannot be launched or resumed until an admin raises the limit or the period turns.
 */
export class BudgetService {
  private readonly alerted = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private readonly off: () => void;
  private checking: Promise<void> = Promise.resolve();
  private readonly spendStatement: BetterSqlite3.Statement;

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock; events: EventBus; logger: Logger; lifecycle: CampaignLifecycle },
    private readonly options: { enforce: boolean },
  ) {
    // `@campaign` null: the whole office.
    this.spendStatement = deps.sqlite.prepare(`
      select coalesce(sum(case when created_at >= @day then amount_usd end), 0) as today, coalesce(sum(amount_usd), 0) as month
      from call_costs c
      where created_at >= @month and (@campaign is null or campaign_id = @campaign)
        and not exists (select 1 from calls k where k.id = c.call_id and k.dry_run = 1)`);
    deps.lifecycle.setSpendGate((campaignId) => this.refusal(campaignId));
    this.off = options.enforce
      ? deps.events.subscribe((event) => {
          if (event.name === 'call.ended') this.checkSoon();
        })
      : () => undefined;
  }

  start(): void {
    if (!this.options.enforce) return;
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref?.();
    this.check();
  }

  list(): Budget[] {
    const campaigns = this.deps.sqlite.prepare("select id, name from campaigns where deleted_at is null order by created_at").all() as Array<{ id: string; name: string }>;
    return [this.get('office'), ...campaigns.map((c) => this.view(c.id, c.name))];
  }

  get(scope: string): Budget {
    if (scope === 'office') return this.view('office', 'Whole office');
    const campaign = this.deps.sqlite.prepare('select name from campaigns where id = ? and deleted_at is null').get(scope) as { name: string } | undefined;
    if (!campaign) throw new ParleyError('not_found', `No campaign "${scope}"`);
    return this.view(scope, campaign.name);
  }

  set(scope: string, dailyUsd: number | null, monthlyUsd: number | null, by: string): Budget {
    this.get(scope);
    this.deps.sqlite
      .prepare('insert into budgets (scope, daily_usd, monthly_usd, updated_at, updated_by) values (?, ?, ?, ?, ?) on conflict(scope) do update set daily_usd = excluded.daily_usd, monthly_usd = excluded.monthly_usd, updated_at = excluded.updated_at, updated_by = excluded.updated_by')
      .run(scope, dailyUsd, monthlyUsd, this.deps.clock.now(), by);
    // A new limit earns new alerts.
    for (const key of [...this.alerted]) if (key.startsWith(`${scope}:`)) this.alerted.delete(key);
    this.check();
    return this.get(scope);
  }

  /** Runs one comparison of every limit with its spend (serialised; never throws). */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.evaluate()).catch((error: unknown) => this.deps.logger.error({ err: error }, 'budget check failed'));
    return this.checking;
  }

  /**
   * One comparison a second at most, however many calls end: the spend sums read the month's cost
   * rows, which must not run once per call on the loop that paces live calls.
   */
  private checkSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      void this.check();
    }, 1_000);
    this.soon.unref?.();
  }

  dispose(): void {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.off();
  }

  private async evaluate(): Promise<void> {
    const now = this.deps.clock.now();
    const office = this.state('office');
    const running = this.deps.sqlite.prepare("select id, name from campaigns where status in ('running', 'scheduled') and deleted_at is null").all() as Array<{ id: string; name: string }>;
    this.alertFor('office', 'Whole office', office, now);
    for (const campaign of running) {
      const own = this.state(campaign.id);
      this.alertFor(campaign.id, campaign.name, own, now);
      const spent = own.reached ?? office.reached;
      if (!spent) continue;
      const status = (this.deps.sqlite.prepare('select status from campaigns where id = ?').get(campaign.id) as { status: string }).status;
      if (status !== 'running') continue;
      try {
        await this.deps.lifecycle.apply(campaign.id, 'pause', `${spent} (calls in progress finish)`);
      } catch (error) {
        this.deps.logger.info({ err: error, campaignId: campaign.id }, 'budget pause not applied');
      }
    }
  }

  /** Whether the campaign and the office still have budget (premium voices stop when either is spent). */
  allows(campaignId: string): boolean {
    return this.refusal(campaignId) === null;
  }

  /** Why `campaignId` may not dial now, or null. */
  private refusal(campaignId: string): string | null {
    const reached = this.state(campaignId).reached ?? this.state('office').reached;
    return reached ? `${reached}. An admin can raise the limit (Budget on the campaign page).` : null;
  }

  private state(scope: string): { limits: Limits | undefined; today: number; month: number; level: Budget['state']; reached: string | null; warning: string | null } {
    const limits = this.deps.sqlite.prepare('select daily_usd, monthly_usd, updated_at, updated_by from budgets where scope = ?').get(scope) as Limits | undefined;
    const periods = periodStarts(this.deps.clock.now());
    const spend = this.spendStatement.get({ day: periods.day, month: periods.month, campaign: scope === 'office' ? null : scope }) as { today: number; month: number };
    const who = scope === 'office' ? 'The office' : 'This campaign';
    let reached: string | null = null;
    let warning: string | null = null;
    for (const [limit, spent, period] of [
      [limits?.daily_usd ?? null, spend.today, 'daily'],
      [limits?.monthly_usd ?? null, spend.month, 'monthly'],
    ] as const) {
      if (limit === null) continue;
      if (spent >= limit) reached ??= `Budget reached: ${who.toLowerCase()} has spent ${usd(spent)} of its ${period} limit of ${usd(limit)}`;
      else if (spent >= limit * WARN_AT) warning ??= `${who} has spent ${usd(spent)}, ${Math.floor((spent / limit) * 100)}% of its ${period} limit of ${usd(limit)}`;
    }
    return { limits, today: spend.today, month: spend.month, level: reached ? 'reached' : warning ? 'warning' : 'ok', reached, warning };
  }

  private view(scope: string, name: string): Budget {
    const s = this.state(scope);
    return {
      scope,
      name,
      dailyUsd: s.limits?.daily_usd ?? null,
      monthlyUsd: s.limits?.monthly_usd ?? null,
      spentTodayUsd: round(s.today),
      spentMonthUsd: round(s.month),
      state: s.level,
      updatedAt: s.limits?.updated_at ?? null,
      updatedBy: s.limits?.updated_by ?? null,
    };
  }

  private alertFor(scope: string, name: string, s: ReturnType<BudgetService['state']>, now: number): void {
    if (s.level === 'ok') return;
    const periods = periodStarts(now);
    const key = `${scope}:${s.level}:${periods.dayKey}`;
    if (this.alerted.has(key)) return;
    this.alerted.add(key);
    const message = s.level === 'reached' ? `${name}: ${s.reached}. ${scope === 'office' ? 'Every running campaign pauses' : 'The campaign pauses'}; calls in progress finish.` : `${name}: ${s.warning}.`;
    this.deps.logger.warn({ scope, level: s.level }, 'budget %s', s.level);
    this.deps.events.emit('office.alert', {
      id: `budget:${scope}`,
      kind: s.level === 'reached' ? 'budget-reached' : 'budget-warning',
      severity: s.level === 'reached' ? 'critical' : 'warning',
      message,
      at: now,
      campaignId: scope === 'office' ? null : scope,
      providerId: null,
    });
  }
}

function round(n: number): number {
  return Math.round(n * 1_000_000) / 1_000_000;
}
