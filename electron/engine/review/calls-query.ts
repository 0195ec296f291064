import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type CallListRow, type CallsCursor, type CallsFilter, type CallsSort } from '../../contracts';
import { ftsMatchExpression, MATCH_END, MATCH_START } from './fts-query';

type Filter = Omit<CallsFilter, 'runs'> & { runs: 'all' | 'real' | 'dry' };

/** `null`: every campaign (managers, admins); a list: only calls of these campaigns. */
export type CampaignScope = readonly string[] | null;

/** Talk time; sorting by it uses the index calls_duration (migration 013), which repeats this expression. */
const DURATION = 'case when c.ended_at is null then null else c.ended_at - coalesce(c.answered_at, c.started_at, c.created_at) end';

const SORTS: Record<CallsSort, { key: string; desc: boolean }> = {
  newest: { key: 'c.created_at', desc: true },
  oldest: { key: 'c.created_at', desc: false },
  longest: { key: `coalesce(${DURATION}, -1)`, desc: true },
  shortest: { key: `coalesce(${DURATION}, -1)`, desc: false },
  score: { key: 'coalesce(a.qualification, -1)', desc: true }, // paged in two parts, see page()
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
/** Above this many matching turns a search walks the calls in order instead of collecting every match. */
const COMMON_MATCHES = 2_000;

function bound(value: string, endOfDay: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new ParleyError('invalid_payload', `Not a date: ${value}`);
  return dateOnly && endOfDay ? ms + DAY_MS : ms;
}

/** Where-clauses for a filter, with named parameters. Dates without a time are whole UTC days. */
/** Calls whose transcript matches `@search` (the FTS5 expression). */
const SEARCH_CONDITION = 'c.id in (select t.call_id from transcript_fts f join transcript_turns t on t.id = f.rowid where transcript_fts match @search)';
/** The same for a common term: the set of matching turn ids is built once, each call's turns are looked up in it. */
const SEARCH_COMMON_CONDITION = 'exists (select 1 from transcript_turns t where t.call_id = c.id and t.id in (select rowid from transcript_fts where transcript_fts match @search))';

/** Where-clauses (search excluded: the caller picks how to search), with named parameters. */
export function callsConditions(filter: Filter, scope: CampaignScope): { where: string[]; params: Record<string, unknown>; search: string | null } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (clause: string, name: string, value: unknown) => {
    where.push(clause);
    params[name] = value;
  };
  if (scope) {
    if (scope.length === 0) where.push('0');
    else {
      scope.forEach((id, i) => (params[`scope${i}`] = id));
      where.push(`c.campaign_id in (${scope.map((_, i) => `@scope${i}`).join(', ')})`);
    }
  }
  if (filter.campaignId) add('c.campaign_id = @campaignId', 'campaignId', filter.campaignId);
  if (filter.lineId) add('c.line_id = @lineId', 'lineId', filter.lineId);
  if (filter.from) add('c.created_at >= @from', 'from', bound(filter.from, false));
  if (filter.to) add('c.created_at < @to', 'to', bound(filter.to, true) + (/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? 0 : 1));
  if (filter.outcome) add('(c.outcome = @outcome or a.outcome = @outcome)', 'outcome', filter.outcome);
  if (filter.direction) add('c.direction = @direction', 'direction', filter.direction);
  if (filter.minDurationS !== undefined) add(`${DURATION} >= @minDuration`, 'minDuration', filter.minDurationS * 1000);
  if (filter.maxDurationS !== undefined) add(`${DURATION} <= @maxDuration`, 'maxDuration', filter.maxDurationS * 1000);
  if (filter.minScore !== undefined) add('a.qualification >= @minScore', 'minScore', filter.minScore);
  if (filter.maxScore !== undefined) add('a.qualification <= @maxScore', 'maxScore', filter.maxScore);
  if (filter.emotion) {
    where.push('exists (select 1 from turn_emotions e where e.call_id = c.id and e.smoothed_label = @emotion)');
    params.emotion = filter.emotion;
  }
  if (filter.variant) add('exists (select 1 from dial_attempts d where d.id = c.id and d.variant = @variant)', 'variant', filter.variant);
  if (filter.tookOver !== undefined) {
    where.push(`${filter.tookOver ? '' : 'not '}exists (select 1 from call_events ev where ev.call_id = c.id and ev.kind = 'supervisor.takeover')`);
  }
  if (filter.runs !== 'all') where.push(filter.runs === 'dry' ? 'c.dry_run = 1' : 'c.dry_run = 0');
  const search = filter.search ? ftsMatchExpression(filter.search) : null;
  if (search) params.search = search;
  return { where, params, search };
}

/**
 * The calls list: filters, full-text search and keyset pages (`after` = the last row's sort value and
 * id), so page 1,000 costs what page 1 costs. Statements are prepared once per query shape.
 */
export class CallsQuery {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly snippetStatement: BetterSqlite3.Statement;

  private readonly countMatches: BetterSqlite3.Statement;
  private readonly turnRange: BetterSqlite3.Statement;
  private readonly matchesInRange: BetterSqlite3.Statement;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.countMatches = sqlite.prepare('select count(*) as n from (select 1 from transcript_fts where transcript_fts match ? limit ?)');
    this.turnRange = sqlite.prepare('select min(t.id) as lo, max(t.id) as hi from transcript_turns t where t.call_id in (select value from json_each(?))');
    this.matchesInRange = sqlite.prepare(
      'select distinct t.call_id from transcript_fts f join transcript_turns t on t.id = f.rowid where transcript_fts match ? and f.rowid between ? and ?',
    );
    // One pass of the index over the page's turn-id range; the unary + keeps the turn filter out of the
    // index's hands (probing it turn by turn restarts the query each time), so snippets are made only for the page's turns.
    this.snippetStatement = sqlite.prepare(
      `select t.call_id, t.seq, snippet(transcript_fts, 0, '${MATCH_START}', '${MATCH_END}', '…', 12) as snippet
       from transcript_fts f join transcript_turns t on t.id = f.rowid
       where transcript_fts match @search and f.rowid between @lo and @hi
         and +f.rowid in (select p.id from transcript_turns p where p.call_id in (select value from json_each(@ids)))`,
    );
  }

  page(options: { filter: Filter; sort: CallsSort; after?: CallsCursor | undefined; limit: number; scope: CampaignScope }): { rows: CallListRow[]; next: CallsCursor | null } {
    const { where, params, search } = callsConditions(options.filter, options.scope);
    const sort = SORTS[options.sort];
    if (search) {
      // A common term: walk the calls in order, window by window, and ask the index only about each window's turns.
      // Other sorts with a common term: the calls in sort order, each checked against the matching turn ids (collected once).
      const common = this.searchIsCommon(search);
      const ids = common && (options.sort === 'newest' || options.sort === 'oldest') ? this.windowedSearch(where, params, search, sort, options.after, options.limit + 1) : null;
      if (ids) {
        where.push('c.id in (select value from json_each(@ids))');
        params.ids = JSON.stringify(ids);
      } else where.push(common ? SEARCH_COMMON_CONDITION : SEARCH_CONDITION);
    }
    let raw: RawRow[];
    if (options.sort === 'score') {
      // Analysed calls by score through the (qualification, call_id) index, then the unanalysed ones (score -1) by id.
      raw = !options.after || options.after.value >= 0 ? this.select(where, params, 'a.qualification', 'a.call_id', true, 'join', options.after, options.limit + 1) : [];
      if (raw.length <= options.limit) {
        const rest = options.after && options.after.value < 0 ? options.after : undefined;
        raw = raw.concat(this.select([...where, 'a.call_id is null'], params, '-1', 'c.id', true, 'left join', rest, options.limit + 1 - raw.length));
      }
    } else raw = this.select(where, params, sort.key, 'c.id', sort.desc, 'left join', options.after, options.limit + 1);
    const more = raw.length > options.limit;
    const rows = raw.slice(0, options.limit);
    const last = rows[rows.length - 1];
    const snippets = search ? this.snippets(search, rows.map((r) => r.id)) : new Map<string, string>();
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
        snippet: snippets.get(row.id) ?? null,
      })),
      next: more && last ? { value: last.sort_value, id: last.id } : null,
    };
  }

  private select(where: string[], base: Record<string, unknown>, key: string, tie: string, desc: boolean, analysisJoin: 'join' | 'left join', after: CallsCursor | undefined, limit: number): RawRow[] {
    const params: Record<string, unknown> = { ...base, limit };
    const conditions = [...where];
    const op = desc ? '<' : '>';
    if (after && key === '-1') {
      conditions.push(`${tie} ${op} @afterId`);
      params.afterId = after.id;
    } else if (after) {
      conditions.push(`(${key} ${op} @afterValue or (${key} = @afterValue and ${tie} ${op} @afterId))`);
      params.afterValue = after.value;
      params.afterId = after.id;
    }
    const dir = desc ? 'desc' : 'asc';
    const text = `select c.id, c.campaign_id, cp.name as campaign_name, c.contact_id, ct.name as contact_name, c.line_id, c.direction,
        coalesce(a.outcome, c.outcome) as outcome, c.created_at, ${DURATION} as duration_ms, a.qualification as score, c.dry_run, c.legal_hold,
        (r.call_id is not null and r.status != 'purged') as has_recording, ${key} as sort_value
      from calls c
      ${analysisJoin} call_analysis a on a.call_id = c.id
      left join campaigns cp on cp.id = c.campaign_id
      left join contacts ct on ct.id = c.contact_id
      left join call_recordings r on r.call_id = c.id
      ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
      order by ${key === '-1' ? '' : `${key} ${dir}, `}${tie} ${dir}
      limit @limit`;
    return this.statement(text).all(params) as RawRow[];
  }

  /** The first matching passage of each call, highlighted. */
  private snippets(search: string, callIds: string[]): Map<string, string> {
    const found = new Map<string, { seq: number; snippet: string }>();
    if (callIds.length === 0) return new Map();
    const ids = JSON.stringify(callIds);
    const range = this.turnRange.get(ids) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return new Map();
    for (const row of this.snippetStatement.all({ search, lo: range.lo, hi: range.hi, ids }) as Array<{ call_id: string; seq: number; snippet: string }>) {
      const seen = found.get(row.call_id);
      if (!seen || row.seq < seen.seq) found.set(row.call_id, row);
    }
    return new Map([...found].map(([id, hit]) => [id, hit.snippet]));
  }

  /** Whether a search matches so many turns that walking the calls in order beats collecting every match. */
  private searchIsCommon(search: string): boolean {
    return (this.countMatches.get(search, COMMON_MATCHES) as { n: number }).n >= COMMON_MATCHES;
  }

  /**
   * The ids of the next `wanted` matching calls in created_at order: windows of calls (growing) are
   * read from the calls index; the index is asked only for turns whose ids lie within the window's
   * turn-id range. Null when it would take too many windows (a term only old calls use): the caller
   * then collects every match instead.
   */
  private windowedSearch(where: string[], params: Record<string, unknown>, search: string, sort: { key: string; desc: boolean }, after: CallsCursor | undefined, wanted: number): string[] | null {
    const op = sort.desc ? '<' : '>';
    const dir = sort.desc ? 'desc' : 'asc';
    const windowQuery = this.statement(
      `select c.id, c.created_at from calls c left join call_analysis a on a.call_id = c.id
       where ${[...where, `(@cursorId is null or c.created_at ${op} @cursorValue or (c.created_at = @cursorValue and c.id ${op} @cursorId))`].join(' and ')}
       order by c.created_at ${dir}, c.id ${dir} limit @window`,
    );
    const found: string[] = [];
    let cursor: CallsCursor | undefined = after;
    let window = 1_000;
    for (let round = 0; round < 6; round++, window *= 2) {
      const calls = windowQuery.all({ ...params, cursorValue: cursor?.value ?? null, cursorId: cursor?.id ?? null, window }) as Array<{ id: string; created_at: number }>;
      if (calls.length === 0) return found;
      const ids = JSON.stringify(calls.map((c) => c.id));
      const range = this.turnRange.get(ids) as { lo: number | null; hi: number | null };
      if (range.lo !== null && range.hi !== null) {
        const matched = new Set((this.matchesInRange.all(search, range.lo, range.hi) as Array<{ call_id: string }>).map((r) => r.call_id));
        for (const call of calls) {
          if (!matched.has(call.id)) continue;
          found.push(call.id);
          if (found.length === wanted) return found;
        }
      }
      if (calls.length < window) return found;
      const last = calls[calls.length - 1]!;
      cursor = { value: last.created_at, id: last.id };
    }
    return null;
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
