import type BetterSqlite3 from 'better-sqlite3';
import { CallOutcome, EmotionLabel, type AnalyticsFilter, type Dashboard } from '../../contracts';
import { toTimeRange, type TimeRange } from './date-range';
import { latencyByStage } from './latency';
import { significanceNote, twoProportionZTest } from './stats';

/**
 * The campaign dashboard, all from SQL over the store. Each statement is a range scan of a covering
 * index (see migration 004_analysis): dialing figures from the dialer's attempts, results from the
 * stored post-call analyses, emotion from per-turn readings. Statements are prepared once per
 * connection and run in one read transaction so the figures agree with each other. `runs` keeps
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
  cost: `SELECT count(*) AS items, coalesce(sum(amount_usd), 0) AS total FROM call_costs
    WHERE campaign_id = @campaign AND created_at >= @from AND created_at < @to AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = call_costs.call_id AND k.dry_run = @dry))`,
} as const;

type Statements = { [K in keyof typeof SQL]: BetterSqlite3.Statement };
const prepared = new WeakMap<BetterSqlite3.Database, Statements>();

function statements(sqlite: BetterSqlite3.Database): Statements {
  let s = prepared.get(sqlite);
  if (!s) {
    s = Object.fromEntries(Object.entries(SQL).map(([k, q]) => [k, sqlite.prepare(q)])) as Statements;
    prepared.set(sqlite, s);
  }
  return s;
}

type Row = Record<string, number | string | null>;
const NO_VARIANT = '(no variant)';
const num = (v: unknown) => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));
const rate = (x: number, n: number) => (n > 0 ? Math.round((x / n) * 10_000) / 10_000 : null);
const round = (v: number | null, digits = 2) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export function buildDashboard(sqlite: BetterSqlite3.Database, filter: AnalyticsFilter, now: () => number = () => performance.now()): Dashboard {
  const started = now();
  const range = toTimeRange(filter);
  const params = { campaign: filter.campaignId, from: range.fromMs, to: range.toMs, offset: range.offsetMs, dry: dryParam(filter.runs) };
  const s = statements(sqlite);
  const read = sqlite.transaction(() => {
    // Statements ignore parameters they do not name, so one parameter object serves them all.
    const all = (k: keyof Statements) => s[k].all(params) as Row[];
    const get = (k: keyof Statements) => s[k].get(params) as Row;
    const count = (k: 'outcome' | 'emotion', key: string) => num((s[k].get({ ...params, key }) as Row | undefined)?.n);
    return {
      dialing: all('dialing'),
      results: get('results'),
      outcomes: CallOutcome.options.map((outcome) => ({ outcome, calls: count('outcome', outcome) })),
      attempts: all('attempts'),
      convertedByHour: all('convertedByHour'),
      convertedByVariant: all('convertedByVariant'),
      emotions: EmotionLabel.options.map((label) => ({ label, turns: count('emotion', label) })),
      cost: get('cost'),
      latency: latencyByStage(sqlite, params),
    };
  });
  const r = read.deferred();

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
    cost: costItems > 0 ? { calls: dialed, totalUsd: round(total, 4)!, perCallUsd: dialed > 0 ? round(total / dialed, 4)! : 0 } : null,
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
