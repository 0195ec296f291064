import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type CallListRow, type CallsCursor, type CallsFilter, type CallsSort } from '../../contracts';
import { ftsMatchExpression, MATCH_END, MATCH_START } from './fts-query';

type Filter = Omit<CallsFilter, 'runs'> & { runs: 'all' | 'real' | 'dry' };

/** `null`: every campaign (managers, admins); a list: only calls of these campaigns. */
export type CampaignScope = readonly string[] | null;

const DURATION = 'case when c.ended_at is null then null else c.ended_at - coalesce(c.answered_at, c.started_at, c.created_at) end';

const SORTS: Record<CallsSort, { key: string; desc: boolean }> = {
  newest: { key: 'c.created_at', desc: true },
  oldest: { key: 'c.created_at', desc: false },
  longest: { key: `coalesce(${DURATION}, -1)`, desc: true },
  shortest: { key: `coalesce(${DURATION}, -1)`, desc: false },
  score: { key: 'coalesce(a.qualification, -1)', desc: true },
};

interface RawRow {
  id: string;
  campaign_id: string | null;
  campaign_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  line_id: string | null;
  direction: string;
  outcome: string | null;
  created_at: number;
  duration_ms: number | null;
  score: number | null;
  dry_run: number;
  legal_hold: number;
  has_recording: number;
  sort_value: number;
}

const DAY_MS = 86_400_000;

function bound(value: string, endOfDay: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new ParleyError('invalid_payload', `Not a date: ${value}`);
  return dateOnly && endOfDay ? ms + DAY_MS : ms;
}

/** Where-clauses for a filter, with named parameters. Dates without a time are whole UTC days. */
export function callsConditions(filter: Filter, scope: CampaignScope): { where: string[]; params: Record<string, unknown>; search: string | null } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (scope) {
    if (scope.length === 0) where.push('0');
    else {
      scope.forEach((id, i) => (params[`scope${i}`] = id));
      where.push(`c.campaign_id in (${scope.map((_, i) => `@scope${i}`).join(', ')})`);
    }
  }
  if (filter.campaignId) (where.push('c.campaign_id = @campaignId'), (params.campaignId = filter.campaignId));
  if (filter.lineId) (where.push('c.line_id = @lineId'), (params.lineId = filter.lineId));
  if (filter.from) (where.push('c.created_at >= @from'), (params.from = bound(filter.from, false)));
  if (filter.to) (where.push('c.created_at < @to'), (params.to = bound(filter.to, true) + (/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? 0 : 1)));
  if (filter.outcome) (where.push('(c.outcome = @outcome or a.outcome = @outcome)'), (params.outcome = filter.outcome));
  if (filter.direction) (where.push('c.direction = @direction'), (params.direction = filter.direction));
  if (filter.minDurationS !== undefined) (where.push(`${DURATION} >= @minDuration`), (params.minDuration = filter.minDurationS * 1000));
  if (filter.maxDurationS !== undefined) (where.push(`${DURATION} <= @maxDuration`), (params.maxDuration = filter.maxDurationS * 1000));
  if (filter.minScore !== undefined) (where.push('a.qualification >= @minScore'), (params.minScore = filter.minScore));
  if (filter.maxScore !== undefined) (where.push('a.qualification <= @maxScore'), (params.maxScore = filter.maxScore));
  if (filter.emotion) {
    where.push('exists (select 1 from turn_emotions e where e.call_id = c.id and e.smoothed_label = @emotion)');
    params.emotion = filter.emotion;
  }
  if (filter.variant) (where.push('exists (select 1 from dial_attempts d where d.id = c.id and d.variant = @variant)'), (params.variant = filter.variant));
  if (filter.tookOver !== undefined) {
    where.push(`${filter.tookOver ? '' : 'not '}exists (select 1 from call_events ev where ev.call_id = c.id and ev.kind = 'supervisor.takeover')`);
  }
  if (filter.runs !== 'all') where.push(filter.runs === 'dry' ? 'c.dry_run = 1' : 'c.dry_run = 0');
  let search: string | null = null;
  if (filter.search) {
    search = ftsMatchExpression(filter.search);
    if (search) {
      where.push('c.id in (select t.call_id from transcript_fts f join transcript_turns t on t.id = f.rowid where transcript_fts match @search)');
      params.search = search;
    }
  }
  return { where, params, search };
}

/**
 * The calls list: filters, full-text search and keyset pages (`after` = the last row's sort value and
 * id), so page 1,000 costs what page 1 costs. Statements are prepared once per query shape.
 */
export class CallsQuery {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly snippetStatement: BetterSqlite3.Statement;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    // Turns of one call first (index on call_id, seq), then the index probed by rowid: the first matching turn.
    this.snippetStatement = sqlite.prepare(
      `select snippet(transcript_fts, 0, '${MATCH_START}', '${MATCH_END}', '…', 12) as snippet
       from transcript_turns t cross join transcript_fts f on f.rowid = t.id
       where t.call_id = ? and transcript_fts match ? order by t.seq limit 1`,
    );
  }

  page(options: { filter: Filter; sort: CallsSort; after?: CallsCursor | undefined; limit: number; scope: CampaignScope }): { rows: CallListRow[]; next: CallsCursor | null } {
    const { where, params, search } = callsConditions(options.filter, options.scope);
    const sort = SORTS[options.sort];
    if (options.after) {
      const op = sort.desc ? '<' : '>';
      where.push(`(${sort.key} ${op} @afterValue or (${sort.key} = @afterValue and c.id ${op} @afterId))`);
      params.afterValue = options.after.value;
      params.afterId = options.after.id;
    }
    params.limit = options.limit + 1;
    const dir = sort.desc ? 'desc' : 'asc';
    const text = `select c.id, c.campaign_id, cp.name as campaign_name, c.contact_id, ct.name as contact_name, c.line_id, c.direction,
        coalesce(a.outcome, c.outcome) as outcome, c.created_at, ${DURATION} as duration_ms, a.qualification as score, c.dry_run, c.legal_hold,
        (r.call_id is not null and r.status != 'purged') as has_recording, ${sort.key} as sort_value
      from calls c
      left join campaigns cp on cp.id = c.campaign_id
      left join contacts ct on ct.id = c.contact_id
      left join call_analysis a on a.call_id = c.id
      left join call_recordings r on r.call_id = c.id
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by ${sort.key} ${dir}, c.id ${dir}
      limit @limit`;
    const raw = this.statement(text).all(params) as RawRow[];
    const more = raw.length > options.limit;
    const rows = raw.slice(0, options.limit);
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((row) => ({
        id: row.id,
        campaignId: row.campaign_id,
        campaignName: row.campaign_name,
        contactId: row.contact_id,
        contactName: row.contact_name,
        lineId: row.line_id,
        direction: row.direction,
        outcome: row.outcome,
        createdAt: row.created_at,
        durationMs: row.duration_ms,
        score: row.score,
        dryRun: row.dry_run === 1,
        legalHold: row.legal_hold === 1,
        hasRecording: row.has_recording === 1,
        snippet: search ? ((this.snippetStatement.get(row.id, search) as { snippet: string } | undefined)?.snippet ?? null) : null,
      })),
      next: more && last ? { value: last.sort_value, id: last.id } : null,
    };
  }

  private statement(text: string): BetterSqlite3.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      if (this.statements.size > 200) this.statements.clear();
      statement = this.sqlite.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}
