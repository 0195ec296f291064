import type { DeliveryService } from '../delivery/delivery-service';
import type { EngineContext, Handler } from './types';

/** Webhook subscriptions and the Sync screen's view of the outbox. */
export function deliveryHandlers(ctx: EngineContext): {
  'webhooks.list': Handler<'webhooks.list'>;
  'webhooks.create': Handler<'webhooks.create'>;
  'webhooks.update': Handler<'webhooks.update'>;
  'webhooks.remove': Handler<'webhooks.remove'>;
  'webhooks.rotateSecret': Handler<'webhooks.rotateSecret'>;
  'webhooks.test': Handler<'webhooks.test'>;
  'sync.status': Handler<'sync.status'>;
  'sync.list': Handler<'sync.list'>;
  'sync.get': Handler<'sync.get'>;
  'sync.retry': Handler<'sync.retry'>;
  'sync.replay': Handler<'sync.replay'>;
} {
  const delivery: DeliveryService = ctx.delivery;
  return {
    'webhooks.list': async () => delivery.webhooks.list(),
    'webhooks.create': async (request) => delivery.createWebhook(request),
    'webhooks.update': async ({ id, webhook }) => delivery.updateWebhook(id, webhook),
    'webhooks.remove': async ({ id }) => {
      await delivery.removeWebhook(id);
      return { id };
    },
    'webhooks.rotateSecret': async ({ id }) => delivery.rotateWebhookSecret(id),
    'webhooks.test': async ({ id }) => delivery.testWebhook(id),
    'sync.status': async () => delivery.status(),
    'sync.list': async (request) => delivery.list(request),
    'sync.get': async ({ id }) => delivery.get(id),
    'sync.retry': async ({ ids, target }) => ({ count: delivery.retry(ids, target) }),
    'sync.replay': async ({ ids }) => ({ count: delivery.replay(ids) }),
  };
}
