import type { EngineContext, Handler } from './types';

/** Saved contact filters with live counts. */
export function segmentHandlers(ctx: EngineContext): {
  'segments.list': Handler<'segments.list'>;
  'segments.get': Handler<'segments.get'>;
  'segments.create': Handler<'segments.create'>;
  'segments.update': Handler<'segments.update'>;
  'segments.delete': Handler<'segments.delete'>;
  'segments.preview': Handler<'segments.preview'>;
} {
  const { segments } = ctx.dialing;
  return {
    'segments.list': () => segments.list(),
    'segments.get': ({ id }) => segments.get(id),
    'segments.create': async (input) => {
      const segment = await segments.create(input);
      ctx.events.emit('segments.changed', { segment });
      return segment;
    },
    'segments.update': async ({ id, patch }) => {
      const segment = await segments.update(id, patch);
      ctx.events.emit('segments.changed', { segment });
      return segment;
    },
    'segments.delete': async ({ id }) => {
      await segments.archive(id);
      ctx.events.emit('segments.deleted', { id });
      return { id };
    },
    'segments.preview': ({ filter, sampleSize }) => segments.preview(filter, sampleSize),
  };
}
