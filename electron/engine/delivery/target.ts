import type { OutboxMessage } from '../analysis/outbox';
import { retryAfterMs } from '../adapters/http/retry-after';

/**
 * Where outbox rows go. A target delivers one message and says how it went; the delivery worker
 * (delivery-worker.ts) owns retries, backoff, ordering, pausing and dead-lettering, so a target
 * never retries by itself and never throws for a delivery that failed.
 */
export interface DeliveryTarget {
  /** Stable name, also the outbox rows' `target` column: `crm` or `webhook:<id>`. */
  readonly name: string;
  /** At most this many deliveries at once (a CRM's rate limits; webhooks keep per-contact order anyway). */
  readonly concurrency: number;
  deliver(message: OutboxMessage, signal: AbortSignal): Promise<DeliveryResult>;
  dispose?(): void;
}

export type DeliveryResult =
  /** Accepted by the target; `remoteId` names what it created there (a HubSpot call id). */
  | { ok: true; status?: number; remoteId?: string }
  | {
      ok: false;
      /**
       * `retry`: this message failed (5xx, timeout); tried again with backoff, dead-lettered after the limit.
       * `offline`: the target cannot be reached at all (DNS, connection refused): the whole target pauses
       *            and the attempt does not count toward the limit.
       * `throttled`: 429; the whole target waits `retryAfterMs`, the attempt does not count.
       * `reject`: the target refused this message for good (4xx other than 408/429): dead-lettered at once.
       */
      kind: 'retry' | 'offline' | 'throttled' | 'reject';
      error: string;
      status?: number;
      retryAfterMs?: number;
    };

/** Classifies a fetch failure or an HTTP status the same way for every HTTP target. */
export function resultForStatus(status: number, body: string, retryAfter: string | null, now: number): DeliveryResult {
  if (status >= 200 && status < 300) return { ok: true, status };
  const error = `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`;
  if (status === 429) return { ok: false, kind: 'throttled', error, status, retryAfterMs: retryAfterMs(retryAfter, now) ?? 30_000 };
  if (status === 408 || status >= 500) return { ok: false, kind: 'retry', error, status, retryAfterMs: retryAfterMs(retryAfter, now) };
  return { ok: false, kind: 'reject', error, status };
}

export function resultForNetworkError(error: unknown, signal?: AbortSignal): DeliveryResult {
  if (signal?.aborted) return { ok: false, kind: 'retry', error: 'Timed out waiting for the target' };
  const code = networkCode(error);
  if (code && OFFLINE_CODES.has(code)) return { ok: false, kind: 'offline', error: `Cannot reach the target (${code})` };
  return { ok: false, kind: 'retry', error: (error as Error)?.message ?? String(error) };
}

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

function networkCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}
