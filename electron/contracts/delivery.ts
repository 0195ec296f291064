import { z } from 'zod';

/**
 * Delivery of what Parley tells other systems: call summaries to the CRM and events to webhook
 * subscribers, both through the outbox (at least once, in order per contact, retried with backoff,
 * dead-lettered after repeated failures). The Sync screen and `sync.*` show and steer it.
 */

/** Events a webhook can subscribe to. Dry-run calls never produce any. */
export const WebhookEvent = z.enum([
  'call.started',
  'call.answered',
  'call.completed',
  'call.failed',
  'call.analysed',
  'call.transferred',
  'campaign.status_changed',
  'contact.do_not_call',
  'callback.booked',
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

const WebhookId = z.string().min(1).max(64);
const HttpUrl = z
  .string()
  .max(2_000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) URLs can receive webhooks');

export const Webhook = z.object({
  id: WebhookId,
  url: z.string(),
  events: z.array(WebhookEvent),
  description: z.string(),
  enabled: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Webhook = z.infer<typeof Webhook>;

export const WebhookInput = z
  .object({
    url: HttpUrl,
    events: z.array(WebhookEvent).min(1).max(WebhookEvent.options.length),
    description: z.string().max(200).default(''),
    enabled: z.boolean().default(true),
  })
  .strict();
export type WebhookInput = z.input<typeof WebhookInput>;

/** The signing secret (Standard Webhooks `whsec_` form): shown once, when created or rotated. */
const WebhookSecret = z.object({ webhook: Webhook, secret: z.string() });

export const DeliveryTestResult = z.object({ ok: z.boolean(), status: z.number().nullable(), latencyMs: z.number(), message: z.string() });
export type DeliveryTestResult = z.infer<typeof DeliveryTestResult>;

export const OutboxState = z.enum(['pending', 'failing', 'sent', 'dead']);
export type OutboxState = z.infer<typeof OutboxState>;

export const SyncTarget = z.object({
  /** `crm` or `webhook:<id>`. */
  name: z.string(),
  /** In words: "HubSpot", the webhook's URL, "CRM (not connected)". */
  label: z.string(),
  /** False when nothing delivers to it (no CRM connected, webhook disabled or removed): its rows wait. */
  connected: z.boolean(),
  state: z.enum(['delivering', 'offline', 'throttled', 'idle', 'not-connected']),
  resumeAt: z.number().nullable(),
  lastError: z.string().nullable(),
  pending: z.number().int(),
  failing: z.number().int(),
  sent: z.number().int(),
  dead: z.number().int(),
  oldestPendingAt: z.number().nullable(),
});
export type SyncTarget = z.infer<typeof SyncTarget>;

export const OutboxRow = z.object({
  id: z.string(),
  kind: z.string(),
  target: z.string(),
  state: OutboxState,
  idempotencyKey: z.string(),
  attempts: z.number().int(),
  createdAt: z.number(),
  nextAttemptAt: z.number(),
  sentAt: z.number().nullable(),
  deadAt: z.number().nullable(),
  lastError: z.string().nullable(),
  remoteId: z.string().nullable(),
});
export type OutboxRow = z.infer<typeof OutboxRow>;

export const DeliveryAttempt = z.object({ at: z.number(), ok: z.boolean(), status: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() });

const Cursor = z.object({ createdAt: z.number(), id: z.string() }).strict();

export const deliveryCommands = {
  'webhooks.list': { request: z.object({}).strict(), response: z.array(Webhook) },
  'webhooks.create': { request: WebhookInput, response: WebhookSecret },
  'webhooks.update': { request: z.object({ id: WebhookId, webhook: WebhookInput }).strict(), response: Webhook },
  'webhooks.remove': { request: z.object({ id: WebhookId }).strict(), response: z.object({ id: WebhookId }) },
  'webhooks.rotateSecret': { request: z.object({ id: WebhookId }).strict(), response: WebhookSecret },
  /** Sends one signed `webhook.test` event now, outside the outbox, and reports how the receiver answered. */
  'webhooks.test': { request: z.object({ id: WebhookId }).strict(), response: DeliveryTestResult },

  'sync.status': { request: z.object({}).strict(), response: z.object({ targets: z.array(SyncTarget) }) },
  'sync.list': {
    request: z.object({ state: OutboxState.optional(), target: z.string().max(100).optional(), limit: z.number().int().min(1).max(500).default(100), before: Cursor.optional() }).strict(),
    response: z.object({ rows: z.array(OutboxRow), next: Cursor.nullable() }),
  },
  'sync.get': {
    request: z.object({ id: z.string().max(64) }).strict(),
    response: OutboxRow.extend({ payload: z.unknown(), attempts: z.array(DeliveryAttempt) }),
  },
  /** Failing or dead-lettered rows (these, one target's, or all) go back to the queue now. */
  'sync.retry': { request: z.object({ ids: z.array(z.string().max(64)).max(500).optional(), target: z.string().max(100).optional() }).strict(), response: z.object({ count: z.number().int() }) },
  /** Delivered rows are sent again, with their original idempotency key. */
  'sync.replay': { request: z.object({ ids: z.array(z.string().max(64)).min(1).max(500) }).strict(), response: z.object({ count: z.number().int() }) },
} as const;

export const deliveryEvents = {
  /** Delivery counts or a target's state changed (at most about once a second). */
  'sync.changed': z.object({}),
  'webhook.changed': z.object({ id: WebhookId, webhook: Webhook.nullable() }),
} as const;
