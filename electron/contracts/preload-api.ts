import type { CommandName } from './commands';
import type { EngineEvent } from './events';
import type { Outcome } from './protocol';

/** What the preload exposes as `window.parley`: one method per command, and event subscription. */
export interface PreloadApi {
  readonly commands: { readonly [K in CommandName]: (payload: unknown) => Promise<Outcome> };
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Opens a live audio stream with a ticket; the MessagePort arrives as a window message (AUDIO_IPC.windowTag). */
  openAudio?(token: string): Promise<Outcome>;
}

export const PRELOAD_GLOBAL = 'parley';
