import { ParleyError } from '../../contracts';
import type { EngineContext, Handler } from './types';

/** Campaign lifecycle (launch, pause, resume, stop), live counters and the dialer's state. */
export function dialerHandlers(ctx: EngineContext): {
  'campaigns.launch': Handler<'campaigns.launch'>;
  'campaigns.pause': Handler<'campaigns.pause'>;
  'campaigns.resume': Handler<'campaigns.resume'>;
  'campaigns.stop': Handler<'campaigns.stop'>;
  'campaigns.counters': Handler<'campaigns.counters'>;
  'campaigns.transitions': Handler<'campaigns.transitions'>;
  'dialer.status': Handler<'dialer.status'>;
} {
  const { lifecycle, dialer } = ctx.dialing;
  const requireTelephony = () => {
    // An engine with dialing 'off' (the CLI) only records the decision; the host that dials checks its own telephony.
    if (dialer.mode !== 'off' && !dialer.hasTelephony) {
      throw new ParleyError('unavailable', 'No telephony configured: this Parley cannot place calls, so the campaign cannot run');
    }
  };
  const exists = async (id: string) => {
    await ctx.repos.campaigns.get(id);
  };
  return {
    'campaigns.launch': async ({ id, startAt }) => {
      await exists(id);
      requireTelephony();
      const campaign = await lifecycle.launch(id, startAt === undefined ? undefined : Date.parse(startAt));
      dialer.kick();
      return campaign;
    },
    'campaigns.pause': async ({ id, reason }) => lifecycle.apply(id, 'pause', reason || 'Paused'),
    'campaigns.resume': async ({ id, reason }) => {
      await exists(id);
      requireTelephony();
      const campaign = await lifecycle.resume(id, reason);
      dialer.kick();
      return campaign;
    },
    'campaigns.stop': async ({ id, reason }) => lifecycle.apply(id, 'stop', reason || 'Stopped'),
    'campaigns.counters': async ({ id }) => {
      await exists(id);
      return dialer.counters(id);
    },
    'campaigns.transitions': async ({ id }) => {
      await exists(id);
      return lifecycle.transitions(id);
    },
    'dialer.status': async () => dialer.status(),
  };
}
