import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ParleyError } from '../../../contracts';
import { abortError } from '../abort';
import { retryAfterMs } from './retry-after';

/**
 * One HTTP exchange with a model or voice service, bounded twice: `timeoutMs` until the response
 * headers arrive, and `idleTimeoutMs` between body chunks (a stream that stalls mid-reply is as
 * dead as one that never starts). A caller's abort is told apart from a timeout, so the caller can
 * end quietly on its own cancel and fall back on a timeout.
 */
export class HttpCall {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timeout: ParleyError | undefined;
  private readonly onCallerAbort = () => this.controller.abort(this.callerSignal?.reason);

  constructor(
    readonly service: string,
    private readonly callerSignal?: AbortSignal,
  ) {
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the caller cancelled (not a timeout, not a failure). */
  get cancelledByCaller(): boolean {
    return Boolean(this.callerSignal?.aborted) && !this.timeout;
  }

  /** (Re)starts the deadline: the next step must finish within `ms`. */
  arm(ms: number, what: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timeout = new ServiceError('unavailable', `${this.service} did not ${what} within ${ms} ms`, { status: null, timedOut: true });
      this.controller.abort(this.timeout);
    }, ms);
  }

  finish(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  /** The error to surface for a failure during this call. */
  failure(error: unknown): Error {
    if (this.timeout) return this.timeout;
    if (this.callerSignal?.aborted) return abortError(this.callerSignal);
    if (error instanceof ParleyError) return error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new ServiceError('unavailable', `${this.service} cannot be reached (${detail})`, { status: null });
  }

  /**
   * Sends the request; resolves once the response headers say 2xx. With a guard (the provider's
   * breaker), a provider known to be down is refused at once and a failed send may be retried once.
   */
  send(url: string, init: { method?: string; headers: Record<string, string>; body?: string }, timeoutMs: number, guard?: RequestGuard): Promise<Response> {
    if (!guard) return this.sendOnce(url, init, timeoutMs);
    return guard.run(() => this.sendOnce(url, init, timeoutMs), { deadline: Date.now() + timeoutMs });
  }

  private async sendOnce(url: string, init: { method?: string; headers: Record<string, string>; body?: string }, timeoutMs: number): Promise<Response> {
    this.arm(timeoutMs, 'answer');
    let response: Response;
    try {
      response = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body, signal: this.signal });
    } catch (error) {
      this.finish();
      throw this.failure(error);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      this.finish();
      throw statusError(this.service, response.status, text, response.headers.get('retry-after'));
    }
    return response;
  }

  /** The whole body as text (for non-streaming answers), within the idle deadline. */
  async text(response: Response, idleTimeoutMs: number): Promise<string> {
    this.arm(idleTimeoutMs, 'finish its answer');
    try {
      return await response.text();
    } catch (error) {
      throw this.failure(error);
    } finally {
      this.finish();
    }
  }

  /** Body chunks; each must arrive within `idleTimeoutMs` of the previous one. */
  async *chunks(response: Response, idleTimeoutMs: number): AsyncGenerator<Uint8Array> {
    if (!response.body) throw new ParleyError('unavailable', `${this.service} sent an empty response`);
    const reader = response.body.getReader();
    try {
      for (;;) {
        this.arm(idleTimeoutMs, 'send more of its answer');
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          throw this.failure(error);
        }
        if (result.done) return;
        yield result.value;
      }
    } finally {
      this.finish();
      this.controller.abort(); // closes the connection if the consumer stopped early
      reader.releaseLock();
    }
  }

  /** Server-sent events from the body, parsed as they arrive. */
  async *events(response: Response, idleTimeoutMs: number): AsyncGenerator<EventSourceMessage> {
    const pending: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => pending.push(event) });
    const decoder = new TextDecoder();
    for await (const chunk of this.chunks(response, idleTimeoutMs)) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      while (pending.length > 0) yield pending.shift()!;
    }
  }
}

/** What a provider's breaker offers a request (adapters/resilience/provider-guard.ts). */
export interface RequestGuard {
  run<T>(request: () => Promise<T>, options?: { deadline?: number }): Promise<T>;
  available(): boolean;
}

/**
 * A model or voice service failing: its HTTP status (null: unreachable or timed out), whether it
 * timed out, and for a 429 how long it asked to be left alone. Provider guards decide on these.
 */
export class ServiceError extends ParleyError {
  readonly status: number | null;
  readonly timedOut: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: ConstructorParameters<typeof ParleyError>[0], message: string, info: { status: number | null; timedOut?: boolean; retryAfterMs?: number }) {
    super(code, message);
    this.status = info.status;
    this.timedOut = info.timedOut ?? false;
    this.retryAfterMs = info.retryAfterMs;
  }
}

/** Maps an HTTP error status to the contract's error codes, with the service's own message. */
export function statusError(service: string, status: number, body: string, retryAfter?: string | null): ServiceError {
  const detail = errorDetail(body);
  const suffix = detail ? `: ${detail}` : '';
  const info = { status };
  if (status === 401 || status === 403) return new ServiceError('forbidden', `${service} rejected the API key (${status})${suffix}`, info);
  if (status === 404) return new ServiceError('not_found', `${service} has no such model or voice (404)${suffix}`, info);
  if (status === 413) return new ServiceError('too_large', `${service} says the request is too large (413)${suffix}`, info);
  if (status === 400 || status === 422) return new ServiceError('invalid_payload', `${service} refused the request (${status})${suffix}`, info);
  if (status === 429) return new ServiceError('rate_limited', `${service} asks to slow down (429)${suffix}`, { status, retryAfterMs: retryAfterMs(retryAfter, Date.now()) ?? 30_000 });
  return new ServiceError('unavailable', `${service} failed (${status})${suffix}`, info);
}

function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; detail?: { message?: string } | string; message?: string };
    const fromError = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    const fromDetail = typeof parsed.detail === 'string' ? parsed.detail : parsed.detail?.message;
    return (fromError ?? fromDetail ?? parsed.message ?? '').slice(0, 300);
  } catch {
    return body.trim().slice(0, 300);
  }
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
