import type { EngineContext, Handler } from './types';

export function campaignHandlers(ctx: EngineContext): {
  'campaigns.list': Handler<'campaigns.list'>;
  'campaigns.get': Handler<'campaigns.get'>;
  'campaigns.create': Handler<'campaigns.create'>;
  'campaigns.update': Handler<'campaigns.update'>;
  'campaigns.delete': Handler<'campaigns.delete'>;
} {
  const { campaigns } = ctx.repos;
  return {
    'campaigns.list': () => campaigns.list(),
    'campaigns.get': ({ id }) => campaigns.get(id),
    'campaigns.create': async (input) => {
      const campaign = await campaigns.create(input);
      ctx.logger.info({ campaignId: campaign.id }, 'campaign created');
      ctx.events.emit('campaign.changed', { campaign });
      return campaign;
    },
    'campaigns.update': async ({ id, patch }) => {
      const campaign = await campaigns.update(id, patch);
      ctx.events.emit('campaign.changed', { campaign });
      return campaign;
    },
    'campaigns.delete': async ({ id }) => {
      await campaigns.archive(id);
      ctx.logger.info({ campaignId: id }, 'campaign deleted');
      ctx.events.emit('campaign.deleted', { id });
      return { id };
    },
  };
}
