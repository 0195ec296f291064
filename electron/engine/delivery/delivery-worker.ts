import type { OutboxMessage } from '../analysis/outbox';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import type { DeliveryStore } from './delivery-store';
import type { DeliveryResult, DeliveryTarget } from './target';

export interface DeliveryWorkerOptions {
  /** Failed attempts (5xx, timeouts) before a row is dead-lettered. */
  maxAttempts?: number;
  /** Backoff after the first failure, doubling per attempt up to `maxBackoffMs`, with full jitter. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long one delivery may take before it counts as a timeout. */
  timeoutMs?: number;
  /** How often the queue is looked at when nothing wakes the worker. */
  pollMs?: number;
  /** Rows claimed per look, per target. */
  batch?: number;
  /** A target that cannot be reached is tried again after this, doubling up to 5 minutes. */
  offlineRetryMs?: number;
  /** Jitter source (tests pass a fixed one). */
  random?: () => number;
}

/** What the worker knows about one target beyond its rows: paused, throttled, unreachable. */
export interface TargetState {
  name: string;
  state: 'delivering' | 'offline' | 'throttled' | 'idle';
  /** When a paused target is tried again (ms since epoch). */
  resumeAt: number | null;
  lastError: string | null;
  inFlight: number;
}

export interface DeliveryWorkerEvents {
  /** A target became unreachable or throttled (`failing`), or delivered again after that (`restored`). */
  onTargetHealth?(target: string, healthy: boolean, reason: string | null): void;
  /** Each attempt, after it is recorded. */
  onAttempt?(target: string, result: DeliveryResult, message: OutboxMessage): void;
}

interface TargetRuntime {
  target: DeliveryTarget;
  inFlight: Map<string, AbortController>;
  pausedUntil: number;
  offlineFor: number;
  state: TargetState['state'];
  lastError: string | null;
  /** After an outage only one row goes out until one succeeds: no burst at a target that just came back. */
  probing: boolean;
}

/**
 * Delivers outbox rows to their targets at least once: in order per ordering key, with exponential
 * backoff and full jitter, dead-lettering after `maxAttempts`, pausing a target that cannot be reached
 * or that answers 429 (honouring Retry-After) without counting that against the rows, and resuming one
 * row at a time. Every attempt is recorded with the row in one transaction, so a killed process
 * repeats at most the deliveries that were in flight — with the same idempotency key.
 */
export class DeliveryWorker {
  private readonly targets = new Map<string, TargetRuntime>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private readonly sending = new Set<Promise<void>>();
  private readonly settledWaiters = new Set<() => void>();
  private readonly options: Required<DeliveryWorkerOptions>;

  constructor(
    private readonly deps: { store: DeliveryStore; clock: Clock; logger: Logger },
    options: DeliveryWorkerOptions = {},
    private readonly events: DeliveryWorkerEvents = {},
  ) {
    this.options = {
      maxAttempts: options.maxAttempts ?? 10,
      firstBackoffMs: options.firstBackoffMs ?? 30_000,
      maxBackoffMs: options.maxBackoffMs ?? 6 * 60 * 60_000,
      timeoutMs: options.timeoutMs ?? 15_000,
      pollMs: options.pollMs ?? 2_000,
      batch: options.batch ?? 50,
      offlineRetryMs: options.offlineRetryMs ?? 5_000,
      random: options.random ?? Math.random,
    };
  }

  /** Adds or replaces a target (a webhook whose URL changed); rows in flight to the old one finish. */
  setTarget(target: DeliveryTarget): void {
    const old = this.targets.get(target.name);
    if (old && old.target !== target) old.target.dispose?.();
    this.targets.set(target.name, old ? { ...old, target } : { target, inFlight: new Map(), pausedUntil: 0, offlineFor: 0, state: 'idle', lastError: null, probing: false });
    this.wake();
  }

  removeTarget(name: string): void {
    const runtime = this.targets.get(name);
    if (!runtime) return;
    for (const controller of runtime.inFlight.values()) controller.abort();
    runtime.target.dispose?.();
    this.targets.delete(name);
  }

  hasTarget(name: string): boolean {
    return this.targets.has(name);
  }

  states(): TargetState[] {
    return [...this.targets.values()].map((t) => ({
      name: t.target.name,
      state: t.state,
      resumeAt: t.pausedUntil > this.deps.clock.now() ? t.pausedUntil : null,
      lastError: t.lastError,
      inFlight: t.inFlight.size,
    }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  /** Looks at the queue now (a row was queued, a retry was asked for, a delivery ended). */
  wake(): void {
    if (!this.running) return;
    this.pump();
    this.schedule();
  }

  /** Resolves when nothing is in flight and nothing is due now (tests, the benchmark). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.add(resolve));
  }

  async dispose(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    for (const runtime of this.targets.values()) for (const controller of runtime.inFlight.values()) controller.abort();
    await Promise.allSettled([...this.sending]);
    for (const runtime of this.targets.values()) runtime.target.dispose?.();
    this.targets.clear();
    for (const resolve of this.settledWaiters) resolve();
    this.settledWaiters.clear();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const now = this.deps.clock.now();
    const paused = [...this.targets.values()].map((t) => t.pausedUntil).filter((at) => at > now);
    const delay = Math.max(10, Math.min(this.options.pollMs, ...paused.map((at) => at - now)));
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref?.();
    if (this.settledWaiters.size > 0 && this.isIdle()) {
      for (const resolve of this.settledWaiters) resolve();
      this.settledWaiters.clear();
    }
  }

  private isIdle(): boolean {
    const now = this.deps.clock.now();
    for (const runtime of this.targets.values()) {
      if (runtime.inFlight.size > 0) return false;
      if (runtime.pausedUntil <= now && this.deps.store.claim(runtime.target.name, now, 1, runtime.inFlight).length > 0) return false;
    }
    return true;
  }

  /** Claims what each target has room for and starts those deliveries; each one that ends looks again. */
  private pump(): void {
    const now = this.deps.clock.now();
    for (const runtime of this.targets.values()) {
      if (runtime.pausedUntil > now) continue;
      const room = (runtime.probing ? 1 : runtime.target.concurrency) - runtime.inFlight.size;
      if (room <= 0) continue;
      let due: OutboxMessage[];
      try {
        due = this.deps.store.claim(runtime.target.name, now, Math.min(room, this.options.batch), runtime.inFlight);
      } catch (error) {
        this.deps.logger.error({ err: error, target: runtime.target.name }, 'could not read the outbox');
        continue;
      }
      for (const message of due) {
        const sending: Promise<void> = this.send(runtime, message).finally(() => {
          this.sending.delete(sending);
          this.wake();
        });
        this.sending.add(sending);
      }
    }
  }

  private async send(runtime: TargetRuntime, message: OutboxMessage): Promise<void> {
    const controller = new AbortController();
    runtime.inFlight.set(message.id, controller);
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.options.timeoutMs);
    const started = performance.now();
    let result: DeliveryResult;
    try {
      result = await runtime.target.deliver(message, controller.signal);
    } catch (error) {
      // A target must not throw; if one does, the row is retried like any other failure.
      result = { ok: false, kind: 'retry', error: (error as Error)?.message ?? String(error) };
    } finally {
      clearTimeout(timer);
      runtime.inFlight.delete(message.id);
    }
    if (!this.running && !result.ok) return; // shutting down: the row stays due, untouched
    this.settle(runtime, message, result, performance.now() - started);
  }

  private settle(runtime: TargetRuntime, message: OutboxMessage, result: DeliveryResult, durationMs: number): void {
    const now = this.deps.clock.now();
    const name = runtime.target.name;
    try {
      if (result.ok) {
        this.deps.store.record(message, name, result, { at: now, durationMs });
        this.healthy(runtime);
      } else if (result.kind === 'offline' || result.kind === 'throttled') {
        const wait = result.kind === 'throttled' ? (result.retryAfterMs ?? 30_000) : this.nextOfflineWait(runtime);
        runtime.pausedUntil = Math.max(runtime.pausedUntil, now + wait);
        this.deps.store.record(message, name, result, { at: now, durationMs, next: runtime.pausedUntil, counted: false });
        this.unhealthy(runtime, result.kind, result.error);
      } else {
        const attempts = message.attempts + 1;
        const dead = result.kind === 'reject' || attempts >= this.options.maxAttempts;
        const next = now + Math.max(this.backoff(attempts), result.retryAfterMs ?? 0);
        this.deps.store.record(message, name, result, { at: now, durationMs, next, dead });
        if (dead) this.deps.logger.warn({ target: name, outboxId: message.id, kind: message.kind, attempts, error: result.error }, 'delivery dead-lettered');
        // The target answered: it is reachable, whatever it thought of this row.
        this.healthy(runtime);
      }
    } catch (error) {
      this.deps.logger.error({ err: error, target: name, outboxId: message.id }, 'could not record a delivery attempt');
    }
    this.events.onAttempt?.(name, result, message);
  }

  /** Full jitter: anywhere between 0 and the exponential ceiling, so retries of many rows spread out. */
  private backoff(attempts: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.firstBackoffMs * 2 ** (attempts - 1));
    return Math.round(ceiling / 2 + (this.options.random() * ceiling) / 2);
  }

  private nextOfflineWait(runtime: TargetRuntime): number {
    runtime.offlineFor = runtime.offlineFor === 0 ? this.options.offlineRetryMs : Math.min(runtime.offlineFor * 2, 5 * 60_000);
    return runtime.offlineFor;
  }

  private unhealthy(runtime: TargetRuntime, state: 'offline' | 'throttled', error: string): void {
    const was = runtime.state;
    runtime.state = state;
    runtime.lastError = error;
    runtime.probing = true;
    if (was !== 'offline' && was !== 'throttled') {
      this.deps.logger.warn({ target: runtime.target.name, error }, state === 'offline' ? 'delivery target unreachable: paused' : 'delivery target throttling: paused');
      this.events.onTargetHealth?.(runtime.target.name, false, error);
    }
  }

  private healthy(runtime: TargetRuntime): void {
    const was = runtime.state;
    runtime.state = 'delivering';
    runtime.offlineFor = 0;
    runtime.probing = false;
    if (was === 'offline' || was === 'throttled') {
      runtime.lastError = null;
      this.deps.logger.info({ target: runtime.target.name }, 'delivery target reachable again');
      this.events.onTargetHealth?.(runtime.target.name, true, null);
    }
  }
}
