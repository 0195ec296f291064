import type { EngineContext, Handler } from './types';

/** REST API tokens: an admin makes (secret shown once), lists and revokes them. */
export function apiTokenHandlers(ctx: EngineContext): {
  'apiTokens.list': Handler<'apiTokens.list'>;
  'apiTokens.create': Handler<'apiTokens.create'>;
  'apiTokens.revoke': Handler<'apiTokens.revoke'>;
} {
  return {
    'apiTokens.list': async () => ctx.apiTokens.list(),
    'apiTokens.create': async (request, actor) => ctx.apiTokens.create(request, actor),
    'apiTokens.revoke': async ({ id }) => ctx.apiTokens.revoke(id),
  };
}
