import { campaignHandlers } from './campaigns';
import { modelHandlers } from './models';
import type { CommandHandlers, EngineContext } from './types';

/** Joins every domain's handlers into the one map; the type fails to check if a command has none. */
export function createHandlers(ctx: EngineContext): CommandHandlers {
  return {
    'app.info': async () => ctx.info,
    ...campaignHandlers(ctx),
    ...modelHandlers(ctx),
  };
}

export type { CommandHandlers, EngineContext } from './types';
