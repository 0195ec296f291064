import type BetterSqlite3 from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import type { AnalyticsFilter } from '../../contracts';
import { dryParam } from './dashboard';
import { toTimeRange } from './date-range';

/**
 * Rows per page: one page is a few milliseconds of work on the engine's event loop (the loop that paces
 * live calls), and no export is ever one giant message in memory.
 */
export const EXPORT_PAGE_ROWS = 500;

const CALLS_SQL = `SELECT a.id, a.created_at, a.attempt, a.variant, a.outcome AS dial_outcome, a.answered_at, a.ended_at,
    a.phone_e164, c.name AS contact_name, x.outcome, x.qualification, x.csat
  FROM dial_attempts a LEFT JOIN contacts c ON c.id = a.contact_id LEFT JOIN call_analysis x ON x.call_id = a.id
  WHERE a.campaign_id = @campaign AND a.created_at >= @from AND a.created_at < @to AND (@dry < 0 OR a.dry_run = @dry)
    AND (a.created_at > @afterAt OR (a.created_at = @afterAt AND a.id > @afterId))
  ORDER BY a.created_at, a.id LIMIT @limit`;

const RESULTS_SQL = `SELECT x.*, c.name AS contact_name, c.phone_e164 AS phone
  FROM call_analysis x LEFT JOIN contacts c ON c.id = x.contact_id
  WHERE x.campaign_id = @campaign AND x.call_created_at >= @from AND x.call_created_at < @to
    AND (@dry < 0 OR EXISTS (SELECT 1 FROM calls k WHERE k.id = x.call_id AND k.dry_run = @dry))
    AND (x.call_created_at > @afterAt OR (x.call_created_at = @afterAt AND x.call_id > @afterId))
  ORDER BY x.call_created_at, x.call_id LIMIT @limit`;

const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : '');
type Row = Record<string, unknown>;

export interface ExportCursor {
  at: number;
  id: string;
}

/**
 * One page of the CSV of a campaign's calls (one row per dial attempt, with its result) or of its
 * post-call results (one row per analysed call, one column per campaign question), keyset-paged: the
 * first page has the header, `next` asks for the one after. Cells starting with = + - @ are
 * prefixed so a spreadsheet never runs them as formulas.
 */
export function exportCsv(
  sqlite: BetterSqlite3.Database,
  filter: AnalyticsFilter & { kind: 'calls' | 'results'; after?: ExportCursor },
): { filename: string; rows: number; csv: string; next: ExportCursor | null } {
  const range = toTimeRange(filter);
  const after = filter.after ?? { at: Number.MIN_SAFE_INTEGER, id: '' };
  const params = { campaign: filter.campaignId, from: range.fromMs, to: range.toMs, limit: EXPORT_PAGE_ROWS + 1, dry: dryParam(filter.runs), afterAt: after.at, afterId: after.id };
  const rows = sqlite.prepare(filter.kind === 'calls' ? CALLS_SQL : RESULTS_SQL).all(params) as Row[];
  const more = rows.length > EXPORT_PAGE_ROWS;
  const page = more ? rows.slice(0, EXPORT_PAGE_ROWS) : rows;
  const last = page.at(-1);
  const next = more && last ? (filter.kind === 'calls' ? { at: last.created_at as number, id: last.id as string } : { at: last.call_created_at as number, id: last.call_id as string }) : null;
  const records = filter.kind === 'calls' ? callRecords(page) : resultRecords(page, campaignQuestions(sqlite, filter.campaignId));
  const csv = stringify(records, { header: !filter.after, cast: { string: neutraliseFormula } });
  const span = [filter.from, filter.to].filter(Boolean).join('_to_') || 'all';
  return { filename: `parley-${filter.kind}-${filter.campaignId.slice(0, 8)}-${span}.csv`.replace(/[^\w.-]+/g, '-'), rows: page.length, csv, next };
}

function callRecords(rows: Row[]): Row[] {
  return rows.map((r) => ({
    call_id: r.id,
    dialed_at: iso(r.created_at),
    contact: r.contact_name ?? '',
    phone: r.phone_e164,
    attempt: r.attempt,
    variant: r.variant ?? '',
    dial_result: r.dial_outcome ?? '',
    answered_at: iso(r.answered_at),
    ended_at: iso(r.ended_at),
    duration_s: typeof r.answered_at === 'number' && typeof r.ended_at === 'number' ? Math.round((r.ended_at - r.answered_at) / 1000) : '',
    outcome: r.outcome ?? '',
    qualification: r.qualification ?? '',
    csat: r.csat ?? '',
  }));
}

function resultRecords(rows: Row[], questions: string[]): Row[] {
  return rows.map((r) => {
    const answers = parse<Array<{ question: string; answer: string | null }>>(r.answers, []);
    const budget = parse<{ status?: string; detail?: string | null }>(r.budget, {});
    const timeline = parse<{ horizon?: string; detail?: string | null }>(r.timeline, {});
    const next = parse<{ kind?: string; detail?: string }>(r.next_action, {});
    const record: Row = {
      call_id: r.call_id,
      called_at: iso(r.call_created_at),
      contact: r.contact_name ?? '',
      phone: r.phone ?? '',
      outcome: r.outcome,
      summary: r.summary,
      qualification: r.qualification,
      interest: r.interest,
      budget: [budget.status, budget.detail].filter(Boolean).join(': '),
      timeline: [timeline.horizon, timeline.detail].filter(Boolean).join(': '),
      decision_maker: r.decision_maker,
      csat: r.csat,
      next_action: [next.kind, next.detail].filter(Boolean).join(': '),
      emotion: r.dominant_emotion ?? '',
      analysed_by: r.method === 'llm' ? `llm ${r.model ?? ''}`.trim() : 'rules',
    };
    questions.forEach((question, i) => {
      record[`Q${i + 1}: ${question}`] = answers.find((a) => a.question === question)?.answer ?? '';
    });
    return record;
  });
}

function campaignQuestions(sqlite: BetterSqlite3.Database, campaignId: string): string[] {
  const row = sqlite.prepare('SELECT questions FROM campaigns WHERE id = ?').get(campaignId) as { questions: string } | undefined;
  const questions = parse<unknown>(row?.questions, []);
  return Array.isArray(questions) ? questions.filter((q): q is string => typeof q === 'string') : [];
}

function parse<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function neutraliseFormula(value: string): string {
  if (/^\+\d{6,15}$/.test(value)) return value; // an E.164 phone number is data, not a formula
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
