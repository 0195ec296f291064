import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { ParleyError } from '../../../contracts';
import { isAbortError } from '../abort';
import { ServiceError } from '../http/http-call';

export interface GuardOptions {
  /** Consecutive failures (errors, timeouts) that open the breaker. */
  threshold?: number;
  /** How long an open breaker skips the provider before one probe may try it again. */
  coolDownMs?: number;
  /** A retry needs at least this much of the turn's budget left. */
  minRetryBudgetMs?: number;
}

export interface ProviderHealthState {
  state: 'closed' | 'open' | 'half-open' | 'throttled';
  failures: number;
  openedAt: number | null;
  retryAt: number | null;
  lastError: string | null;
}

/** Whether an error says the provider failed (not the caller cancelling, not a 429). */
function countsAsFailure(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (error instanceof ServiceError) return error.status !== 429;
  return true;
}

/** Worth one more try within the same turn: a 5xx or a dropped connection (a timeout already spent the budget). */
function retryable(error: unknown): boolean {
  return error instanceof ServiceError && !error.timedOut && (error.status === null || error.status >= 500);
}

/**
 * Remembers how one provider (an API model or voice) is doing, so a provider that is down costs a
 * call nothing: a cockatiel circuit breaker opens after `threshold` consecutive failures and refuses
 * at once for `coolDownMs`, then lets one probe decide; a 429 holds every request until its
 * Retry-After without counting as a failure; a 5xx or dropped connection is retried once when the
 * turn's budget allows; a caller's own cancel (barge-in) is never a failure.
 */
export class ProviderGuard {
  private readonly breaker: CircuitBreakerPolicy;
  private throttledUntil = 0;
  private failures = 0;
  private openedAt: number | null = null;
  private lastError: string | null = null;
  private readonly listeners = new Set<(healthy: boolean, detail: string) => void>();
  private readonly coolDownMs: number;
  private readonly minRetryBudgetMs: number;

  constructor(
    readonly id: string,
    readonly name: string,
    options: GuardOptions = {},
  ) {
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.minRetryBudgetMs = options.minRetryBudgetMs ?? 1_000;
    this.breaker = circuitBreaker(handleWhen(countsAsFailure), { halfOpenAfter: this.coolDownMs, breaker: new ConsecutiveBreaker(options.threshold ?? 3) });
    this.breaker.onStateChange((state) => {
      if (state === CircuitState.Open) {
        this.openedAt = Date.now();
        for (const listener of this.listeners) listener(false, this.lastError ?? 'repeated failures');
      } else if (state === CircuitState.Closed) {
        const wasOpen = this.openedAt !== null;
        this.openedAt = null;
        this.failures = 0;
        if (wasOpen) for (const listener of this.listeners) listener(true, 'answering again');
      }
    });
  }

  /** Told when the breaker opens (`healthy` false) and when it closes again. */
  onChange(listener: (healthy: boolean, detail: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** False while the breaker is open or a 429's Retry-After runs: new calls should go elsewhere. */
  available(): boolean {
    if (Date.now() < this.throttledUntil) return false;
    if (this.breaker.state !== CircuitState.Open) return true;
    // Open, but the cool-down is over: the next request is the probe.
    return this.openedAt !== null && Date.now() - this.openedAt >= this.coolDownMs;
  }

  health(): ProviderHealthState {
    const now = Date.now();
    if (now < this.throttledUntil) return { state: 'throttled', failures: this.failures, openedAt: this.openedAt, retryAt: this.throttledUntil, lastError: this.lastError };
    const state = this.breaker.state === CircuitState.Open ? 'open' : this.breaker.state === CircuitState.HalfOpen ? 'half-open' : 'closed';
    return { state, failures: this.failures, openedAt: this.openedAt, retryAt: this.openedAt === null ? null : this.openedAt + this.coolDownMs, lastError: this.lastError };
  }

  /**
   * Runs one request to the provider under the guard. `deadline` (ms since epoch) bounds the retry:
   * no second try when less than `minRetryBudgetMs` of the turn is left.
   */
  async run<T>(request: () => Promise<T>, options: { deadline?: number } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (Date.now() < this.throttledUntil) throw new ParleyError('rate_limited', `${this.name} asked to slow down; trying again after ${new Date(this.throttledUntil).toISOString()}`);
      try {
        return await this.breaker.execute(() => this.observe(request));
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw new ParleyError('unavailable', `${this.name} is skipped for now after repeated failures (${this.lastError ?? 'no answer'})`);
        const budget = (options.deadline ?? Infinity) - Date.now();
        if (attempt === 1 && retryable(error) && budget >= this.minRetryBudgetMs && this.breaker.state === CircuitState.Closed) continue;
        throw error;
      }
    }
  }

  private async observe<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof ServiceError && error.status === 429) this.throttledUntil = Date.now() + (error.retryAfterMs ?? 30_000);
      else if (countsAsFailure(error)) {
        this.failures += 1;
        this.lastError = (error as Error).message;
      }
      throw error;
    }
  }
}
