import type BetterSqlite3 from 'better-sqlite3';
import type { EngineEvent, OutboxRow, SyncTarget, Webhook, WebhookInput } from '../../contracts';
import { ParleyError } from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { SecretStore } from '../secrets/secret-store';
import { DeliveryStore, type OutboxRowView, type OutboxState } from './delivery-store';
import { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker';
import type { DeliveryTarget } from './target';
import { WebhookEvents } from './webhook-events';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { WebhookTarget } from './webhook-target';

export interface DeliveryOptions {
  /** Deliver from this process (hosts that run campaigns); others only queue. */
  run?: boolean;
  worker?: DeliveryWorkerOptions;
  /** Where the HubSpot client sends requests (tests: a local server that checks them against HubSpot's API documents). */
  hubspotBasePath?: string;
}

/**
 * The outbox's way out: the worker with its targets (the CRM when one is connected, one per enabled
 * webhook), the webhook subscriptions and the observer that queues their events, and what the Sync
 * screen asks of them. Every host queues; only hosts that run campaigns deliver.
 */
export class DeliveryService {
  readonly store: DeliveryStore;
  readonly webhooks: WebhookSubscriptions;
  private readonly worker: DeliveryWorker;
  private readonly observer: WebhookEvents;
  private crm: { target: DeliveryTarget; label: string } | null = null;
  private changedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock; logger: Logger; events: EventBus; secrets: SecretStore },
    private readonly options: DeliveryOptions = {},
  ) {
    this.store = new DeliveryStore(deps.sqlite);
    this.webhooks = new WebhookSubscriptions({ sqlite: deps.sqlite, secrets: deps.secrets, clock: deps.clock });
    this.worker = new DeliveryWorker({ store: this.store, clock: deps.clock, logger: deps.logger }, options.worker, {
      onTargetHealth: (target, healthy, reason) => this.alert(target, healthy, reason),
      onAttempt: () => this.changed(),
    });
    this.observer = new WebhookEvents({
      sqlite: deps.sqlite,
      clock: deps.clock,
      logger: deps.logger,
      subscriptions: this.webhooks,
      subscribe: (listener: (event: EngineEvent) => void) => deps.events.subscribe(listener),
      queued: () => {
        this.worker.wake();
        this.changed();
      },
    });
  }

  /** Starts delivering when this host runs campaigns. */
  async start(): Promise<void> {
    if (!this.options.run) return;
    for (const webhook of this.webhooks.list()) await this.syncWebhookTarget(webhook);
    this.worker.start();
  }

  /** Connects (or, with null, disconnects) the CRM: rows for `crm` wait while none is connected. */
  setCrmTarget(target: DeliveryTarget | null, label = 'CRM'): void {
    if (target && target.name !== 'crm') throw new Error(`A CRM target is named "crm", not "${target.name}"`);
    this.crm = target ? { target, label } : null;
    if (!this.options.run) {
      target?.dispose?.();
      return;
    }
    if (target) this.worker.setTarget(target);
    else this.worker.removeTarget('crm');
    this.changed();
  }

  /** Nothing in flight and nothing due (tests, the benchmark). */
  idle(): Promise<void> {
    return this.worker.idle();
  }

  status(): { targets: SyncTarget[] } {
    const counts = new Map(this.store.counts().map((c) => [c.target, c]));
    const states = new Map(this.worker.states().map((s) => [s.name, s]));
    const webhooks = this.webhooks.list();
    const names = new Set<string>(['crm', ...webhooks.map((w) => `webhook:${w.id}`), ...counts.keys()]);
    return {
      targets: [...names].map((name) => {
        const c = counts.get(name);
        const s = states.get(name);
        const webhook = webhooks.find((w) => `webhook:${w.id}` === name);
        const label = name === 'crm' ? (this.crm ? this.crm.label : 'CRM (not connected)') : webhook ? webhook.url : `${name} (removed)`;
        return {
          name,
          label,
          connected: s !== undefined,
          state: s ? s.state : 'not-connected',
          resumeAt: s?.resumeAt ?? null,
          lastError: s?.lastError ?? null,
          pending: c?.pending ?? 0,
          failing: c?.failing ?? 0,
          sent: c?.sent ?? 0,
          dead: c?.dead ?? 0,
          oldestPendingAt: c?.oldestPendingAt ?? null,
        };
      }),
    };
  }

  list(filter: { state?: OutboxState; target?: string; limit: number; before?: { createdAt: number; id: string } }): { rows: OutboxRow[]; next: { createdAt: number; id: string } | null } {
    const rows = this.store.list({ ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit).map(toRow);
    const last = page.at(-1);
    return { rows: page, next: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  get(id: string) {
    const row = this.store.get(id);
    if (!row) throw new ParleyError('not_found', `No outbox row "${id}"`);
    return { ...toRow(row), payload: row.payload, attempts: this.store.attempts(id) };
  }

  retry(ids?: string[], target?: string): number {
    const count = this.store.retry(this.deps.clock.now(), ids, target);
    this.worker.wake();
    this.changed();
    return count;
  }

  replay(ids: string[]): number {
    const count = this.store.replay(this.deps.clock.now(), ids);
    this.worker.wake();
    this.changed();
    return count;
  }

  async createWebhook(input: WebhookInput) {
    const created = await this.webhooks.create(input);
    await this.syncWebhookTarget(created.webhook);
    this.deps.events.emit('webhook.changed', { id: created.webhook.id, webhook: created.webhook });
    return created;
  }

  async updateWebhook(id: string, input: WebhookInput): Promise<Webhook> {
    const webhook = this.webhooks.update(id, input);
    await this.syncWebhookTarget(webhook);
    this.deps.events.emit('webhook.changed', { id, webhook });
    return webhook;
  }

  async removeWebhook(id: string): Promise<void> {
    await this.webhooks.remove(id);
    this.worker.removeTarget(`webhook:${id}`);
    this.deps.events.emit('webhook.changed', { id, webhook: null });
    this.changed();
  }

  async rotateWebhookSecret(id: string) {
    const rotated = await this.webhooks.rotateSecret(id);
    await this.syncWebhookTarget(rotated.webhook);
    return rotated;
  }

  /** One signed `webhook.test` event straight to the receiver (not through the outbox). */
  async testWebhook(id: string): Promise<{ ok: boolean; status: number | null; latencyMs: number; message: string }> {
    const webhook = this.webhooks.get(id);
    const target = new WebhookTarget(webhook, await this.webhooks.secret(id), this.deps.clock);
    const now = this.deps.clock.now();
    const body = JSON.stringify({ type: 'webhook.test', timestamp: new Date(now).toISOString(), data: { webhookId: id } });
    const started = performance.now();
    const result = await target.post(`msg_test_${now}`, body, AbortSignal.timeout(10_000));
    const latencyMs = Math.round(performance.now() - started);
    return result.ok
      ? { ok: true, status: result.status ?? null, latencyMs, message: `The receiver accepted a signed test event in ${latencyMs} ms` }
      : { ok: false, status: result.status ?? null, latencyMs, message: result.error };
  }

  async dispose(): Promise<void> {
    clearTimeout(this.changedTimer);
    this.observer.dispose();
    await this.worker.dispose();
  }

  private async syncWebhookTarget(webhook: Webhook): Promise<void> {
    const name = `webhook:${webhook.id}`;
    if (!this.options.run) return;
    if (!webhook.enabled) {
      this.worker.removeTarget(name);
      return;
    }
    this.worker.setTarget(new WebhookTarget(webhook, await this.webhooks.secret(webhook.id), this.deps.clock));
  }

  private alert(target: string, healthy: boolean, reason: string | null): void {
    const label = target === 'crm' ? (this.crm?.label ?? 'The CRM') : `Webhook ${this.webhooks.list().find((w) => `webhook:${w.id}` === target)?.url ?? target}`;
    this.deps.events.emit('office.alert', {
      id: `sync:${target}`,
      kind: healthy ? 'sync-restored' : 'sync-failing',
      severity: healthy ? 'info' : 'warning',
      message: healthy ? `${label} takes deliveries again; the queue is draining.` : `${label} cannot take deliveries (${reason}). Nothing is lost: deliveries wait and resume by themselves.`,
      at: this.deps.clock.now(),
      campaignId: null,
      providerId: null,
    });
    this.changed();
  }

  /** At most one `sync.changed` a second, however many rows move. */
  private changed(): void {
    if (this.changedTimer) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = undefined;
      this.deps.events.emit('sync.changed', {});
    }, 1_000);
    this.changedTimer.unref?.();
  }
}

function stateOf(row: OutboxRowView): OutboxRow['state'] {
  if (row.sentAt !== null) return 'sent';
  if (row.deadAt !== null) return 'dead';
  return row.attempts > 0 ? 'failing' : 'pending';
}

function toRow(row: OutboxRowView): OutboxRow {
  return { ...row, state: stateOf(row) };
}
