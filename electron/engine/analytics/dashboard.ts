import { CallOutcome, EmotionLabel, type AnalyticsFilter, type Dashboard } from '../../contracts';
import { toTimeRange, type TimeRange } from './date-range';
import { LATENCY_SQL, latencyFromRows } from './latency';
import type { ReadJob } from '../storage/read-query-worker';
import { significanceNote, twoProportionZTest } from './stats';

/**
 * The campaign dashboard, all from SQL over the store. Each statement is a range scan of a covering
 * index (see migration 004_analysis): dialing figures from the dialer's attempts, results from the
 * stored post-call analyses, emotion from per-turn readings. Statements run on the read thread in
 * one read transaction, so the figures agree with each other. `runs` keeps
 * real calls, dry runs (simulated line) or both (@dry: 0, 1, or -1).
 */
const ANSWERED = "answered_at IS NOT NULL AND coalesce(outcome, '') <> 'voicemail'";
const SQL = {
  /** Dialed and answered by hour of day and A/B variant in one pass; totals are summed from it. */
  dialing: `SELECT ((created_at + @offset) / 3600000) % 24 AS hour, coalesce(variant, '') AS variant,
      count(*) AS dialed, coalesce(sum(${ANSWERED}), 0) AS answered
    FROM dial_attempts WHERE campaign_id = @campaign AND created_at >= @from AND created_at < @to AND (@dry < 0 OR dry_run = @dry) GROUP BY 1, 2`,
  results: `SELECT count(*) AS analysed, coalesce(sum(conversation), 0) AS conversation, coalesce(sum(qualified), 0) AS qualified,
      coalesce(sum(converted), 0) AS converted, avg(csat) AS csat, avg(qualification) AS qualification
    FROM call_analysis WHERE campaign_id = @campaign AND call_created_at >= @from AND call_created_at < @to AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = call_analysis.call_id AND k.dry_run = @dry))`,
  /** One range count per outcome (index campaign, outcome, time): no sorting. */
  outcome: `SELECT count(*) AS n FROM call_analysis
    WHERE campaign_id = @campaign AND outcome = @key AND call_created_at >= @from AND call_created_at < @to AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = call_analysis.call_id AND k.dry_run = @dry))`,
  /** Walks the (campaign, contact, time) index in contact order, so grouping needs no sort. */
  attempts: `SELECT min(n, 5) AS attempts, count(*) AS contacts FROM (
      SELECT count(*) AS n FROM dial_attempts INDEXED BY dial_attempts_contact_count
      WHERE campaign_id = @campaign AND created_at >= @from AND created_at < @to AND (@dry < 0 OR dry_run = @dry) GROUP BY contact_id
    ) GROUP BY 1`,
  convertedByHour: `SELECT ((call_created_at + @offset) / 3600000) % 24 AS hour, count(*) AS converted FROM call_analysis
    WHERE campaign_id = @campaign AND outcome = 'converted' AND call_created_at >= @from AND call_created_at < @to AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = call_analysis.call_id AND k.dry_run = @dry)) GROUP BY 1`,
  convertedByVariant: `SELECT coalesce(a.variant, '') AS variant, count(*) AS converted
    FROM call_analysis x JOIN dial_attempts a ON a.id = x.call_id
    WHERE x.campaign_id = @campaign AND x.outcome = 'converted' AND x.call_created_at >= @from AND x.call_created_at < @to AND (@dry < 0 OR a.dry_run = @dry) GROUP BY 1`,
  /** One range count per label (index campaign, label, time). */
  emotion: `SELECT count(*) AS n FROM turn_emotions WHERE campaign_id = @campaign AND label = @key AND at >= @from AND at < @to AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = turn_emotions.call_id AND k.dry_run = @dry))`,
  costByDay: `SELECT (created_at + @offset) / 86400000 AS day, coalesce(sum(amount_usd), 0) AS total, count(DISTINCT call_id) AS calls FROM call_costs
    WHERE campaign_id = @campaign AND created_at >= @from AND created_at < @to AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = call_costs.call_id AND k.dry_run = @dry)) GROUP BY 1 ORDER BY 1`,
  cost: `SELECT count(*) AS items, coalesce(sum(amount_usd), 0) AS total FROM call_costs
    WHERE campaign_id = @campaign AND created_at >= @from AND created_at < @to AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = call_costs.call_id AND k.dry_run = @dry))`,
} as const;

type Row = Record<string, number | string | null>;
const NO_VARIANT = '(no variant)';
const num = (v: unknown) => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));
const rate = (x: number, n: number) => (n > 0 ? Math.round((x / n) * 10_000) / 10_000 : null);
const round = (v: number | null, digits = 2) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/** Where the dashboard's statements run: the read thread (`store.reads`), never the loop that paces calls. */
export interface DashboardReads {
  batch(jobs: ReadJob[]): Promise<unknown[]>;
}

/**
 * Every statement runs in one read transaction on the read thread: a campaign of 100,000 calls takes
 * a couple of hundred ms of SQL, which must not hold up live calls' audio.
 */
export async function buildDashboard(reads: DashboardReads, filter: AnalyticsFilter, now: () => number = () => performance.now()): Promise<Dashboard> {
  const started = now();
  const range = toTimeRange(filter);
  // Statements ignore parameters they do not name, so one parameter object serves them all.
  const params = { campaign: filter.campaignId, from: range.fromMs, to: range.toMs, offset: range.offsetMs, dry: dryParam(filter.runs) };
  const all = (k: keyof typeof SQL): ReadJob => ({ sql: SQL[k], params });
  const get = (k: keyof typeof SQL): ReadJob => ({ sql: SQL[k], params, first: true });
  const count = (k: 'outcome' | 'emotion', key: string): ReadJob => ({ sql: SQL[k], params: { ...params, key }, first: true });
  const jobs = {
    dialing: [all('dialing')],
    results: [get('results')],
    outcomes: CallOutcome.options.map((outcome) => count('outcome', outcome)),
    attempts: [all('attempts')],
    convertedByHour: [all('convertedByHour')],
    convertedByVariant: [all('convertedByVariant')],
    emotions: EmotionLabel.options.map((label) => count('emotion', label)),
    cost: [get('cost')],
    costByDay: [all('costByDay')],
    latency: [{ sql: LATENCY_SQL, params: { campaign: params.campaign, from: params.from, to: params.to, dry: params.dry } }],
  };
  const names = Object.keys(jobs) as Array<keyof typeof jobs>;
  const answers = await reads.batch(names.flatMap((name) => jobs[name]));
  let at = 0;
  const take = (name: keyof typeof jobs) => {
    const part = answers.slice(at, at + jobs[name].length);
    at += jobs[name].length;
    return part;
  };
  const taken = Object.fromEntries(names.map((name) => [name, take(name)])) as Record<keyof typeof jobs, unknown[]>;
  const r = {
    dialing: taken.dialing[0] as Row[],
    results: (taken.results[0] ?? {}) as Row,
    outcomes: CallOutcome.options.map((outcome, i) => ({ outcome, calls: num((taken.outcomes[i] as Row | undefined)?.n) })),
    attempts: taken.attempts[0] as Row[],
    convertedByHour: taken.convertedByHour[0] as Row[],
    convertedByVariant: taken.convertedByVariant[0] as Row[],
    emotions: EmotionLabel.options.map((label, i) => ({ label, turns: num((taken.emotions[i] as Row | undefined)?.n) })),
    cost: (taken.cost[0] ?? {}) as Row,
    costByDay: taken.costByDay[0] as Row[],
    latency: latencyFromRows(taken.latency[0] as Array<{ data: string }>),
  };

  const byHour = new Map<number, { dialed: number; answered: number }>();
  const byVariant = new Map<string, { dialed: number; answered: number }>();
  let dialed = 0;
  let answered = 0;
  for (const row of r.dialing) {
    const d = num(row.dialed);
    const a = num(row.answered);
    dialed += d;
    answered += a;
    const hour = byHour.get(num(row.hour)) ?? { dialed: 0, answered: 0 };
    byHour.set(num(row.hour), { dialed: hour.dialed + d, answered: hour.answered + a });
    const variant = byVariant.get(String(row.variant)) ?? { dialed: 0, answered: 0 };
    byVariant.set(String(row.variant), { dialed: variant.dialed + d, answered: variant.answered + a });
  }
  const funnel = {
    dialed,
    answered,
    conversation: num(r.results.conversation),
    qualified: num(r.results.qualified),
    converted: num(r.results.converted),
  };

  const histogram = [1, 2, 3, 4, 5].map((attempts) => ({
    attempts,
    contacts: num(r.attempts.find((row) => num(row.attempts) === attempts)?.contacts),
  }));
  const contacts = histogram.reduce((sum, h) => sum + h.contacts, 0);

  const convertedAt = new Map(r.convertedByHour.map((row) => [num(row.hour), num(row.converted)]));
  const bestHours = [...byHour.entries()]
    .map(([hour, h]) => {
      const converted = convertedAt.get(hour) ?? 0;
      return { hour, dialed: h.dialed, answered: h.answered, converted, answerRate: rate(h.answered, h.dialed), conversionRate: rate(converted, h.answered) };
    })
    .sort((a, b) => a.hour - b.hour);

  const convertedIn = new Map(r.convertedByVariant.map((row) => [String(row.variant), num(row.converted)]));
  const variantRows = [...byVariant.entries()]
    .map(([key, v]) => {
      const converted = convertedIn.get(key) ?? 0;
      return { variant: key || NO_VARIANT, dialed: v.dialed, answered: v.answered, converted, conversionRate: rate(converted, v.answered) };
    })
    .sort((a, b) => b.answered - a.answered || a.variant.localeCompare(b.variant));

  const costItems = num(r.cost.items);
  const total = num(r.cost.total);

  return {
    campaignId: filter.campaignId,
    range: { from: filter.from ?? null, to: filter.to ?? null },
    queryMs: Math.round((now() - started) * 100) / 100,
    funnel,
    outcomes: r.outcomes.filter((o) => o.calls > 0),
    attemptsPerContact: { contacts, average: contacts > 0 ? round(dialed / contacts) : null, histogram },
    bestHours,
    variants: { rows: variantRows, comparison: compareVariants(variantRows) },
    emotions: r.emotions,
    latency: r.latency,
    cost:
      costItems > 0
        ? {
            calls: dialed,
            totalUsd: round(total, 4)!,
            perCallUsd: dialed > 0 ? round(total / dialed, 4)! : 0,
            perReachedUsd: funnel.answered > 0 ? round(total / funnel.answered, 4)! : null,
            perConversionUsd: funnel.converted > 0 ? round(total / funnel.converted, 4)! : null,
            byDay: r.costByDay.map((row) => ({ day: new Date(num(row.day) * 86_400_000).toISOString().slice(0, 10), calls: num(row.calls), totalUsd: round(num(row.total), 4)! })),
          }
        : null,
    quality: { analysed: num(r.results.analysed), averageCsat: round(r.results.csat as number | null), averageQualification: round(r.results.qualification as number | null) },
  };
}

function compareVariants(rows: Array<{ variant: string; answered: number; converted: number; conversionRate: number | null }>): Dashboard['variants']['comparison'] {
  const [a, b] = rows.filter((row) => row.variant !== NO_VARIANT);
  if (!a || !b) return null;
  const test = twoProportionZTest(a.converted, a.answered, b.converted, b.answered);
  if (!test) return null;
  const rateA = a.converted / a.answered;
  const rateB = b.converted / b.answered;
  return {
    a: a.variant,
    b: b.variant,
    z: Math.round(test.z * 1000) / 1000,
    pValue: Math.round(test.pValue * 10_000) / 10_000,
    significant: test.pValue < 0.05,
    note: significanceNote(a.variant, b.variant, rateA, rateB, test),
  };
}

export type { TimeRange };

/** The `runs` filter as the statements' @dry parameter: -1 every call, 0 real calls only, 1 dry runs only. */
export function dryParam(runs: AnalyticsFilter['runs']): number {
  return runs === 'real' ? 0 : runs === 'dry' ? 1 : -1;
}
