import type { EngineContext, Handler } from './types';

/** Providers: API engines an office adds, tests and chooses per role. Keys go to the secret store only. */
export function providerHandlers(ctx: EngineContext): {
  'providers.list': Handler<'providers.list'>;
  'providers.health': Handler<'providers.health'>;
  'providers.create': Handler<'providers.create'>;
  'providers.update': Handler<'providers.update'>;
  'providers.remove': Handler<'providers.remove'>;
  'providers.test': Handler<'providers.test'>;
  'providers.models': Handler<'providers.models'>;
  'providers.use': Handler<'providers.use'>;
} {
  const providers = ctx.providers;
  return {
    'providers.list': async () => providers.list(),
    'providers.health': async () => providers.health(),
    'providers.create': async (request) => providers.create(request),
    'providers.update': async ({ id, provider }) => providers.update(id, provider),
    'providers.remove': async ({ id }) => {
      await providers.remove(id);
      return { id };
    },
    'providers.test': async ({ id }) => providers.test(id),
    'providers.models': async (request) => providers.models(request),
    'providers.use': async ({ role, id }) => providers.use(role, id),
  };
}
