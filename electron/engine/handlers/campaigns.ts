import { DEFAULT_CAMPAIGN_SETTINGS, ParleyError } from '../../contracts';
import { HoursOverrides } from '../compliance/hours-overrides';
import { hostTimeZone } from '../storage/campaign-settings-store';
import { LIVE_STATUSES } from '../domain/campaign-lifecycle';
import type { EngineContext, Handler } from './types';

export function campaignHandlers(ctx: EngineContext): {
  'campaigns.list': Handler<'campaigns.list'>;
  'campaigns.get': Handler<'campaigns.get'>;
  'campaigns.create': Handler<'campaigns.create'>;
  'campaigns.update': Handler<'campaigns.update'>;
  'campaigns.delete': Handler<'campaigns.delete'>;
} {
  const { campaigns } = ctx.repos;
  const hours = new HoursOverrides(ctx.store.sqlite);
  /** A premium voice must be a voice provider the office has. */
  const checkPremiumVoice = (premium: { providerId: string } | null | undefined, path: string) => {
    const problem = premium ? ctx.providers.premiumVoiceProblem(premium.providerId) : null;
    if (problem) throw new ParleyError('invalid_payload', problem, [{ path: `${path}.providerId`, message: problem }]);
  };
  /** A campaign's own model must be a language model provider the office has. */
  const checkModel = (providerId: string | null | undefined, path: string) => {
    const problem = providerId ? ctx.providers.campaignModelProblem(providerId) : null;
    if (problem) throw new ParleyError('invalid_payload', problem, [{ path, message: problem }]);
  };
  /** A campaign may only point at a segment that exists. */
  const checkSegment = async (segmentId: string | null | undefined, path: string) => {
    if (!segmentId) return;
    try {
      await ctx.dialing.segments.get(segmentId);
    } catch {
      throw new ParleyError('invalid_payload', 'That segment does not exist (deleted?)', [{ path, message: 'Choose an existing segment' }]);
    }
  };
  /** A campaign may only name a line that exists. */
  const checkLine = async (lineId: string | null | undefined, path: string) => {
    if (!lineId) return;
    await ctx.lines.lines.get(lineId).catch(() => {
      throw new ParleyError('invalid_payload', 'That line does not exist (removed?)', [{ path, message: 'Choose an existing line' }]);
    });
  };
  return {
    'campaigns.list': () => campaigns.list(),
    'campaigns.get': ({ id }) => campaigns.get(id),
    'campaigns.create': async (input) => {
      checkPremiumVoice(input.premiumVoice, 'premiumVoice');
      checkModel(input.llmProviderId, 'llmProviderId');
      await checkSegment(input.segmentId, 'segmentId');
      await checkLine(input.lineId, 'lineId');
      hours.assertLegal(undefined, input.callingWindow ?? DEFAULT_CAMPAIGN_SETTINGS.callingWindow, input.defaultTimezone ?? hostTimeZone(), 'callingWindow');
      const campaign = await campaigns.create(input);
      ctx.logger.info({ campaignId: campaign.id }, 'campaign created');
      ctx.events.emit('campaign.changed', { campaign });
      return campaign;
    },
    'campaigns.update': async ({ id, patch }) => {
      checkPremiumVoice(patch.premiumVoice, 'patch.premiumVoice');
      checkModel(patch.llmProviderId, 'patch.llmProviderId');
      await checkSegment(patch.segmentId, 'patch.segmentId');
      await checkLine(patch.lineId, 'patch.lineId');
      if (patch.callingWindow !== undefined || patch.defaultTimezone !== undefined) {
        const before = await campaigns.get(id);
        hours.assertLegal(id, patch.callingWindow ?? before.callingWindow, patch.defaultTimezone ?? before.defaultTimezone, 'patch.callingWindow');
      }
      const campaign = await campaigns.update(id, patch);
      ctx.events.emit('campaign.changed', { campaign });
      return campaign;
    },
    'campaigns.delete': async ({ id }) => {
      const existing = await campaigns.get(id);
      if (LIVE_STATUSES.includes(existing.status)) {
        throw new ParleyError('conflict', `Stop the campaign before deleting it (it is ${existing.status})`);
      }
      await campaigns.archive(id);
      ctx.logger.info({ campaignId: id }, 'campaign deleted');
      ctx.events.emit('campaign.deleted', { id });
      return { id };
    },
  };
}
