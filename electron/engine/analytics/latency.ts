import type BetterSqlite3 from 'better-sqlite3';
import type { Dashboard } from '../../contracts';
import { percentileOfSorted } from './stats';

/**
 * Per-turn latency as the voice pipeline records it (its `TurnLatency`): a `call_events` row of kind
 * `turn.latency` whose data has one number (ms) per stage, e.g. {"endpointMs":420,"sttMs":180,
 * "llmFirstTokenMs":350,"ttsFirstChunkMs":120,"transportMs":40,"totalMs":1110}.
 */
export const TURN_LATENCY_EVENT = 'turn.latency';
export const LATENCY_STAGES = [
  ['endpoint', 'endpointMs'],
  ['stt', 'sttMs'],
  ['llm', 'llmFirstTokenMs'],
  ['tts', 'ttsFirstChunkMs'],
  ['transport', 'transportMs'],
  ['total', 'totalMs'],
] as const;

/**
 * Percentiles come from the most recent turns in the range (at most this many): p95 of 5,000
 * samples is within a fraction of a percentile point of the full population, and the dashboard
 * stays fast however many calls a campaign has.
 */
export const LATENCY_SAMPLE_TURNS = 5_000;

export const LATENCY_SQL = `SELECT e.data AS data FROM call_events e JOIN calls c ON c.id = e.call_id
  WHERE e.kind = '${TURN_LATENCY_EVENT}' AND c.campaign_id = @campaign AND e.at >= @from AND e.at < @to AND (@dry < 0 OR c.dry_run = @dry)
  ORDER BY e.at DESC LIMIT ${LATENCY_SAMPLE_TURNS}`;
const prepared = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

export function latencyByStage(sqlite: BetterSqlite3.Database, params: { campaign: string; from: number; to: number; dry: number }): Dashboard['latency'] {
  let statement = prepared.get(sqlite);
  if (!statement) prepared.set(sqlite, (statement = sqlite.prepare(LATENCY_SQL)));
  return latencyFromRows(statement.all({ campaign: params.campaign, from: params.from, to: params.to, dry: params.dry }) as Array<{ data: string }>);
}

/** Percentiles per stage from the `turn.latency` rows LATENCY_SQL selects. */
export function latencyFromRows(rows: Array<{ data: string }>): Dashboard['latency'] {
  const values: number[][] = LATENCY_STAGES.map(() => []);
  for (const row of rows) {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(row.data) as Record<string, unknown>;
    } catch {
      continue; // one damaged event must not blank the whole chart
    }
    LATENCY_STAGES.forEach(([, key], i) => {
      const v = data[key];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) values[i]!.push(v);
    });
  }
  return LATENCY_STAGES.map(([stage], i) => {
    const sorted = Float64Array.from(values[i]!).sort();
    const p50 = percentileOfSorted(sorted, 0.5);
    const p95 = percentileOfSorted(sorted, 0.95);
    return { stage, samples: sorted.length, p50Ms: p50 === null ? null : Math.round(p50), p95Ms: p95 === null ? null : Math.round(p95) };
  });
}
