import type { Handler } from './types';
import type { EngineContext } from './types';

/** The Callbacks screen and the contact's callbacks: the one persisted queue (engine/callbacks). */
export function callbackHandlers(ctx: EngineContext): {
  'callbacks.list': Handler<'callbacks.list'>;
  'callbacks.reschedule': Handler<'callbacks.reschedule'>;
  'callbacks.cancel': Handler<'callbacks.cancel'>;
  'callbacks.callNow': Handler<'callbacks.callNow'>;
  'callbacks.markResult': Handler<'callbacks.markResult'>;
} {
  const callbacks = () => ctx.dialing.callbacks;
  return {
    'callbacks.list': async ({ scope, contactId, include }, actor) => callbacks().list({ scope, userId: actor.userId, contactId, open: include === 'open' }),
    'callbacks.reschedule': async ({ id, at, assignTo }, actor) => callbacks().reschedule(id, Date.parse(at), assignTo, actor.userId),
    'callbacks.cancel': async ({ id, reason }) => callbacks().cancel(id, reason),
    'callbacks.callNow': async ({ id }, actor) => callbacks().callNow(id, actor.userId),
    'callbacks.markResult': async ({ id, result, note }) => callbacks().markResult(id, result, note),
  };
}
