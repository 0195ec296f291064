import { ParleyError, type Actor } from '../../contracts';
import { seesCampaign } from '../dispatch';
import type { EngineContext, Handler } from './types';

/** The Callbacks screen and the contact's callbacks: the one persisted queue (engine/callbacks). */
export function callbackHandlers(ctx: EngineContext): {
  'callbacks.list': Handler<'callbacks.list'>;
  'callbacks.reschedule': Handler<'callbacks.reschedule'>;
  'callbacks.cancel': Handler<'callbacks.cancel'>;
  'callbacks.callNow': Handler<'callbacks.callNow'>;
  'callbacks.markResult': Handler<'callbacks.markResult'>;
} {
  const callbacks = () => ctx.dialing.callbacks;
  /** A supervisor sees the callbacks of their campaigns, and those assigned to them. */
  const visible = (actor: Actor, c: { campaignId: string | null; assignee: { userId: string } | null }) => seesCampaign(actor, c.campaignId) || c.assignee?.userId === actor.userId;
  const mine = (id: string, actor: Actor): string => {
    const found = callbacks().repository.get(id);
    if (!found || !visible(actor, found)) throw new ParleyError('not_found', 'That callback does not exist');
    return id;
  };
  return {
    'callbacks.list': async ({ scope, contactId, include }, actor) => callbacks().list({ scope, userId: actor.userId, contactId, open: include === 'open' }).filter((c) => visible(actor, c)),
    'callbacks.reschedule': async ({ id, at, assignTo }, actor) => callbacks().reschedule(mine(id, actor), Date.parse(at), assignTo, actor.userId),
    'callbacks.cancel': async ({ id, reason }, actor) => callbacks().cancel(mine(id, actor), reason),
    'callbacks.callNow': async ({ id }, actor) => callbacks().callNow(mine(id, actor), actor.userId),
    'callbacks.markResult': async ({ id, result, note }, actor) => callbacks().markResult(mine(id, actor), result, note),
  };
}
