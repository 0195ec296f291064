import type { CommandName } from './commands';
import type { EngineEvent } from './events';
import type { Outcome, RecordingBytes } from './protocol';

/** What the preload exposes as `window.parley`: one method per command, and event subscription. */
export interface PreloadApi {
  readonly commands: { readonly [K in CommandName]: (payload: unknown) => Promise<Outcome> };
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Opens a live audio stream with a ticket; the MessagePort arrives as a window message (AUDIO_IPC.windowTag). */
  openAudio?(token: string): Promise<Outcome>;
  /** A call's recording file (the desktop app has no HTTP server for it). */
  recording?(callId: string): Promise<RecordingBytes>;
}

export const PRELOAD_GLOBAL = 'parley';
