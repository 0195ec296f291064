import type { Transport } from './client';
import type { CommandName } from './commands';
import { ParleyError, RpcErrorShape } from './errors';
import type { EngineEvent } from './events';
import type { ServerFrame } from './protocol';

export interface WebSocketTransportOptions {
  /** ws:// or wss:// URL of the RPC endpoint. */
  url: string;
  /** Milliseconds before an unanswered command fails with `transport`. */
  timeoutMs?: number;
  /** Reconnect after the socket closes (the console survives a server restart). */
  reconnect?: boolean;
  /** Called when the connection opens or closes, for a status indicator. */
  onStatus?: (status: 'open' | 'closed') => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ParleyError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** JSON-RPC over the platform WebSocket (browsers and Node 22 both have one built in). */
export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: EngineEvent) => void>();
  let nextId = 1;
  let closed = false;
  let socket: WebSocket;
  let ready: Promise<void>;
  let retryMs = 250;

  const failAll = (message: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new ParleyError('transport', message));
      pending.delete(id);
    }
  };

  const connect = () => {
    socket = new WebSocket(options.url);
    ready = new Promise((resolve, reject) => {
      socket.addEventListener('open', () => {
        retryMs = 250;
        options.onStatus?.('open');
        resolve();
      });
      socket.addEventListener('error', () => reject(new ParleyError('transport', `Cannot reach ${options.url}`)));
    });
    ready.catch(() => undefined);
    socket.addEventListener('message', (message) => {
      if (typeof message.data !== 'string') return; // binary frames carry audio, handled elsewhere
      let frame: ServerFrame;
      try {
        frame = JSON.parse(message.data) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'event') {
        const event = { name: frame.event, payload: frame.payload } as EngineEvent;
        for (const listener of listeners) listener(event);
      } else if (frame.type === 'result' && typeof frame.id === 'number') {
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        clearTimeout(p.timer);
        if (frame.ok) p.resolve(frame.result);
        else p.reject(toError(frame.error));
      }
    });
    socket.addEventListener('close', () => {
      options.onStatus?.('closed');
      failAll('Connection to the Parley engine closed');
      if (!closed && options.reconnect) {
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 5_000);
      }
    });
  };
  connect();

  return {
    async invoke(command: CommandName, payload: unknown) {
      await ready;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ParleyError('transport', `No answer to ${command} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        socket.send(JSON.stringify({ type: 'invoke', id, command, payload }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      failAll('Client closed');
      socket.close();
    },
  };
}

function toError(shape: unknown): ParleyError {
  const parsed = RpcErrorShape.safeParse(shape);
  return parsed.success ? ParleyError.fromShape(parsed.data) : new ParleyError('internal', 'Malformed error from server');
}
