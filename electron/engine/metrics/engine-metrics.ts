import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineEvent, OfficeAlertKind } from '../../contracts';
import type { EngineContext } from '../handlers/types';

const FAILING_KINDS = new Set<OfficeAlertKind>(['provider-down', 'budget-warning', 'budget-reached', 'sync-failing', 'storage-failing', 'log-failing']);
const STAGES = [
  ['endpoint', 'endpointMs'],
  ['stt', 'sttMs'],
  ['llm_first_token', 'llmFirstTokenMs'],
  ['tts_first_chunk', 'ttsFirstChunkMs'],
  ['transport', 'transportMs'],
  ['total', 'totalMs'],
] as const;

/**
 * Prometheus metrics of one engine, in its own registry (never prom-client's global one). An
 * observer: it counts engine events as they pass and reads the store only when scraped, with
 * bounded, indexed queries; it never steers anything.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly live = new Set<string>();
  private readonly alerts = new Map<string, OfficeAlertKind>();
  private readonly off: () => void;
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor(ctx: EngineContext, subscribe: (listener: (event: EngineEvent) => void) => () => void) {
    const register = [this.registry];
    // Process metrics of our own: prom-client's defaults name gauges `_total`, which promtool rejects.
    const loop = this.loop;
    loop.enable();
    new Gauge({ name: 'parley_event_loop_delay_p99_seconds', help: '99th percentile delay of the event loop that paces live calls, since the last scrape.', registers: register, collect() {
      this.set(loop.percentile(99) / 1e9);
    } });
    new Gauge({ name: 'parley_event_loop_delay_max_seconds', help: 'Longest event loop delay since the last scrape.', registers: register, collect() {
      this.set(loop.max / 1e9);
      loop.reset(); // the p99 gauge is collected first (registration order)
    } });
    new Gauge({ name: 'parley_process_resident_memory_bytes', help: 'Resident memory of the Parley process.', registers: register, collect() {
      this.set(process.memoryUsage.rss());
    } });
    new Gauge({ name: 'parley_process_heap_used_bytes', help: 'JavaScript heap in use.', registers: register, collect() {
      this.set(process.memoryUsage().heapUsed);
    } });
    const live = this.live;
    new Gauge({ name: 'parley_live_calls', help: 'Calls in progress now.', registers: register, collect() {
      this.set(live.size);
    } });
    const ended = new Counter({ name: 'parley_calls_ended_total', help: 'Calls ended since start, by outcome.', labelNames: ['outcome'], registers: register });
    const duration = new Histogram({ name: 'parley_call_duration_seconds', help: 'Length of ended calls, answered to hang-up.', buckets: [5, 15, 30, 60, 120, 300, 600, 1800], registers: register });
    const latency = new Histogram({ name: 'parley_turn_latency_seconds', help: 'Per caller turn, time spent in each stage of the voice pipeline.', labelNames: ['stage'], buckets: [0.05, 0.1, 0.2, 0.4, 0.8, 1.2, 2, 4, 8], registers: register });
    new Gauge({ name: 'parley_dialer_queue_depth', help: 'Contacts waiting to be called, per running campaign.', labelNames: ['campaign'], registers: register, collect() {
      this.reset();
      const rows = ctx.store.sqlite
        .prepare("select c.name as campaign, (select count(*) from campaign_contacts q where q.campaign_id = c.id and q.state = 'queued') as n from campaigns c where c.status = 'running' and c.deleted_at is null")
        .all() as Array<{ campaign: string; n: number }>;
      for (const row of rows) this.set({ campaign: row.campaign }, row.n);
    } });
    new Gauge({ name: 'parley_dialer_active_calls', help: 'Calls the dialer has placed and not yet finished.', registers: register, collect() {
      this.set(ctx.dialing.dialer.status().activeCalls);
    } });
    new Gauge({ name: 'parley_line_up', help: 'Per line: 1 when its carrier is ready to carry calls, else 0.', labelNames: ['line', 'kind'], registers: register, async collect() {
      this.reset();
      for (const line of await ctx.lines.lines.list()) this.set({ line: line.name, kind: line.kind }, ctx.lines.carriers.state(line.id).status === 'ready' ? 1 : 0);
    } });
    new Gauge({ name: 'parley_outbox_rows', help: 'Outbox rows per delivery target and state (pending, failing, dead, sent).', labelNames: ['target', 'state'], registers: register, collect() {
      this.reset();
      for (const t of ctx.delivery.store.counts()) for (const state of ['pending', 'failing', 'dead', 'sent'] as const) this.set({ target: t.target, state }, t[state]);
    } });
    new Gauge({ name: 'parley_outbox_failed_attempts', help: 'Delivery attempts that failed, per target (from the delivery log).', labelNames: ['target'], registers: register, collect() {
      this.reset();
      for (const row of ctx.store.sqlite.prepare('select target, count(*) as n from delivery_log where ok = 0 group by target').all() as Array<{ target: string; n: number }>) this.set({ target: row.target }, row.n);
    } });
    new Gauge({ name: 'parley_budget_used_ratio', help: 'Spend over limit, the larger of daily and monthly, per office or campaign budget with a limit.', labelNames: ['scope'], registers: register, collect() {
      this.reset();
      for (const b of ctx.budgets.list()) {
        const ratios = [b.dailyUsd ? b.spentTodayUsd / b.dailyUsd : null, b.monthlyUsd ? b.spentMonthUsd / b.monthlyUsd : null].filter((r): r is number => r !== null);
        if (ratios.length > 0) this.set({ scope: b.name }, Math.max(...ratios));
      }
    } });
    const alerts = this.alerts;
    new Gauge({ name: 'parley_office_alerts', help: 'Office alerts raised now, by kind.', labelNames: ['kind'], registers: register, collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const kind of alerts.values()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      for (const [kind, n] of counts) this.set({ kind }, n);
    } });

    this.off = subscribe((event) => {
      switch (event.name) {
        case 'call.started':
          this.live.add(event.payload.callId);
          break;
        case 'call.ended':
          this.live.delete(event.payload.callId);
          ended.inc({ outcome: event.payload.outcome });
          if (event.payload.durationMs > 0) duration.observe(event.payload.durationMs / 1_000);
          break;
        case 'call.latency':
          for (const [stage, key] of STAGES) latency.observe({ stage }, event.payload[key] / 1_000);
          break;
        case 'office.alert':
          if (FAILING_KINDS.has(event.payload.kind)) this.alerts.set(event.payload.id, event.payload.kind);
          else this.alerts.delete(event.payload.id);
          break;
        default:
      }
    });
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  dispose(): void {
    this.off();
    this.loop.disable();
    this.registry.clear();
  }
}
