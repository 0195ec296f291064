import type { CommandInput, CommandName, CommandOutput } from './commands';
import type { EngineEvent, EventName, EventPayload } from './events';

/** How a client reaches an engine: Electron IPC, a WebSocket, or the engine itself in tests. */
export interface Transport {
  /** Resolves with the command's result or rejects with a ParleyError. */
  invoke(command: CommandName, payload: unknown): Promise<unknown>;
  /** Calls `listener` for every engine event; returns the unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  close(): void;
}

export interface ParleyClient {
  call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
  onAny(listener: (event: EngineEvent) => void): () => void;
  close(): void;
}

/** The one typed client, used by the renderer and by tests, over any transport. */
export function createClient(transport: Transport): ParleyClient {
  return {
    call: (command, input) => transport.invoke(command, input) as Promise<never>,
    on: (event, listener) =>
      transport.subscribe((e) => {
        if (e.name === event) listener(e.payload as never);
      }),
    onAny: (listener) => transport.subscribe(listener),
    close: () => transport.close(),
  };
}
