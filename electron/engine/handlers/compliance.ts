import { ParleyError, type Line } from '../../contracts';
import { ConsentStore } from '../compliance/consent-store';
import { HoursOverrides } from '../compliance/hours-overrides';
import { launchSummary } from '../compliance/launch-summary';
import { windowProblems } from '../compliance/window-check';
import type { EngineContext, Handler } from './types';

/** Consent records, legal-hours overrides and the launch summary. */
export function complianceHandlers(ctx: EngineContext): {
  'contacts.consent': Handler<'contacts.consent'>;
  'contacts.setConsent': Handler<'contacts.setConsent'>;
  'contacts.revokeConsent': Handler<'contacts.revokeConsent'>;
  'campaigns.launchSummary': Handler<'campaigns.launchSummary'>;
  'campaigns.overrideHours': Handler<'campaigns.overrideHours'>;
} {
  const consents = new ConsentStore(ctx.store.sqlite, ctx.clock);
  const overrides = new HoursOverrides(ctx.store.sqlite);
  /** The campaign's own line, else the office's first real line (as the dialer chooses). */
  const lineOf = async (lineId: string | null): Promise<Line | null> => {
    if (lineId) return ctx.lines.lines.get(lineId).then((l) => ctx.lines.carriers.view(l)).catch(() => null);
    const all = await ctx.lines.lines.list();
    const real = all.find((l) => l.kind !== 'simulated');
    return real ? ctx.lines.carriers.view(real) : null;
  };
  return {
    'contacts.consent': async ({ contactId }) => consents.get(contactId),
    'contacts.setConsent': async ({ contactId, consent }, actor) => {
      const saved = consents.set(contactId, consent, actor.username);
      ctx.events.emit('contacts.changed', { reason: 'update', count: 1 });
      return saved;
    },
    'contacts.revokeConsent': async ({ contactId, reason }, actor) => {
      const saved = consents.revoke(contactId, reason, actor.username);
      ctx.events.emit('contacts.changed', { reason: 'update', count: 1 });
      return saved;
    },
    'campaigns.launchSummary': async ({ id }) => {
      const campaign = await ctx.repos.campaigns.get(id);
      if (campaign.direction === 'inbound') throw new ParleyError('conflict', 'An inbound campaign answers calls; it has no contact list to launch');
      const filter = campaign.segmentId ? await ctx.dialing.segments.filterOf(campaign.segmentId).catch(() => null) : null;
      if (campaign.segmentId && !filter) throw new ParleyError('conflict', "The campaign's segment was deleted; choose another segment");
      return launchSummary(ctx.store, { campaign, filter, line: await lineOf(campaign.lineId), overrides, now: ctx.clock.now() });
    },
    'campaigns.overrideHours': async ({ id, callingWindow, reason }, actor) => {
      const campaign = await ctx.repos.campaigns.get(id);
      overrides.record(id, callingWindow, campaign.defaultTimezone, reason, actor.username, ctx.clock.now());
      const updated = await ctx.repos.campaigns.update(id, { callingWindow });
      ctx.events.emit('campaign.changed', { campaign: updated });
      return { id, windowProblems: windowProblems(callingWindow, campaign.defaultTimezone) };
    },
  };
}
