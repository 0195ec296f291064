import type { CommandName } from './commands';
import type { EngineEvent } from './events';
import type { Outcome } from './protocol';

/** What the preload exposes as `window.parley`: one method per command, and event subscription. */
export interface PreloadApi {
  readonly commands: { readonly [K in CommandName]: (payload: unknown) => Promise<Outcome> };
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export const PRELOAD_GLOBAL = 'parley';
