import { createHmac, randomBytes } from 'node:crypto';
import type { OutboxMessage } from '../analysis/outbox';
import type { Clock } from '../clock';
import { resultForNetworkError, resultForStatus, type DeliveryResult, type DeliveryTarget } from './target';

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * Standard Webhooks signature (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `${id}.${timestamp}.${body}` with the secret's bytes (base64 after `whsec_`), as `v1,<base64>`.
 */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The body every subscriber receives: the event type, when it happened, and its data. */
export interface WebhookBody {
  type: string;
  timestamp: string;
  data: unknown;
}

/**
 * Posts outbox rows to one subscriber, signed. The message's idempotency key is the `webhook-id`, the
 * same on every retry and replay, so a receiver can drop a repeat; the timestamp is the attempt's
 * (receivers reject old ones to stop replays by a third party).
 */
export class WebhookTarget implements DeliveryTarget {
  readonly name: string;
  readonly concurrency = 4;

  constructor(
    private readonly subscription: { id: string; url: string },
    private readonly secret: string,
    private readonly clock: Clock,
  ) {
    this.name = `webhook:${subscription.id}`;
  }

  deliver(message: OutboxMessage, signal: AbortSignal): Promise<DeliveryResult> {
    return this.post(message.idempotencyKey, JSON.stringify(message.payload), signal);
  }

  /** One signed POST; also used by "Test" with a `webhook.test` body. */
  async post(id: string, body: string, signal: AbortSignal): Promise<DeliveryResult> {
    const timestamp = Math.floor(this.clock.now() / 1_000);
    try {
      const response = await fetch(this.subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhooks/1',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.secret, id, timestamp, body),
        },
        body,
        signal,
        redirect: 'manual', // a redirect is the receiver's misconfiguration, not somewhere to send signed data
      });
      const text = response.ok ? '' : await response.text().catch(() => '');
      return resultForStatus(response.status, text, response.headers.get('retry-after'), this.clock.now());
    } catch (error) {
      return resultForNetworkError(error, signal);
    }
  }
}
