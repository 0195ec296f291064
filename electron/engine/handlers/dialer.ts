import { ParleyError } from '../../contracts';
import { HoursOverrides } from '../compliance/hours-overrides';
import { NO_REAL_LINE } from '../lines/dry-run';
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
  const hours = new HoursOverrides(ctx.store.sqlite);
  /** A window saved before the legal-hours check (or edited around it) is refused at launch too. */
  const requireLegalWindow = async (id: string) => {
    const campaign = await ctx.repos.campaigns.get(id);
    hours.assertLegal(id, campaign.callingWindow, campaign.defaultTimezone, 'callingWindow');
  };
  const requireTelephony = () => {
    // An engine with dialing 'off' (the CLI) only records the decision; the host that dials checks its own telephony.
    if (dialer.mode !== 'off' && !dialer.hasTelephony) {
      throw new ParleyError('unavailable', 'No telephony configured: this Parley cannot place calls, so the campaign cannot run');
    }
  };
  const exists = async (id: string) => {
    await ctx.repos.campaigns.get(id);
  };
  /**
   * A campaign dials through a line: its own (a simulated line makes it a dry run), else the
   * office's first real line. With neither, launching is refused with the way out.
   */
  const requireLine = async (id: string) => {
    const campaign = await ctx.repos.campaigns.get(id);
    if (campaign.direction === 'inbound') {
      throw new ParleyError('conflict', 'An inbound campaign answers the calls that arrive on its lines; it has no contact list to launch. Route a line to it under Lines.');
    }
    const { carriers } = ctx.lines;
    // As with telephony: an engine that does not dial (the CLI) checks the line exists, the dialing host checks its carrier.
    const dials = dialer.mode !== 'off';
    if (campaign.lineId) {
      const line = await ctx.lines.lines.get(campaign.lineId).catch(() => undefined);
      if (!line) throw new ParleyError('conflict', "The campaign's line no longer exists; choose another line in the campaign editor");
      if (dials && !carriers.lineFor(line.id)) throw new ParleyError('unavailable', `Line "${line.name}" cannot place calls: ${carriers.state(line.id).detail}`);
      return;
    }
    if (!carriers.hasRealLine()) throw new ParleyError('unavailable', NO_REAL_LINE);
    if (dials && !carriers.lineFor(null)) throw new ParleyError('unavailable', 'The office line cannot place calls right now; see its state under Lines');
  };
  return {
    'campaigns.launch': async ({ id, startAt }) => {
      await requireLine(id);
      await requireLegalWindow(id);
      requireTelephony();
      const campaign = await lifecycle.launch(id, startAt === undefined ? undefined : Date.parse(startAt));
      dialer.kick();
      return campaign;
    },
    'campaigns.pause': async ({ id, reason }) => lifecycle.apply(id, 'pause', reason || 'Paused'),
    'campaigns.resume': async ({ id, reason }) => {
      await requireLine(id);
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
