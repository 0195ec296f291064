import type { AuthCredentials, SessionGrant } from './access';
import type { Transport } from './client';
import type { CommandName } from './commands';
import { ParleyError, RpcErrorShape } from './errors';
import type { EngineEvent } from './events';
import { CLOSE_UNAUTHORIZED, type ServerFrame } from './protocol';

export interface WebSocketTransportOptions {
  /** ws:// or wss:// URL of the RPC endpoint. */
  url: string;
  /** Milliseconds before an unanswered command fails with `transport`. */
  timeoutMs?: number;
  /** Reconnect after the socket closes (the console survives a server restart). */
  reconnect?: boolean;
  /** Called when the connection opens or closes, for a status indicator. */
  onStatus?: (status: 'open' | 'closed') => void;
  /**
   * Signs in on every (re)connect before any command. After a password or link sign-in the transport
   * keeps only the session token for later reconnects.
   */
  credentials?: AuthCredentials;
  /** Told of each new session (to keep its token) and of its end (`null`: sign in again; `error` says why when a sign-in failed). */
  onSession?: (grant: SessionGrant | null, error?: ParleyError) => void;
}

/** A transport that signs in and out. */
export interface AuthenticatingTransport extends Transport {
  signIn(credentials: AuthCredentials): Promise<SessionGrant>;
  signOut(): Promise<void>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ParleyError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** JSON-RPC over the platform WebSocket (browsers and Node 22 both have one built in). */
export function createWebSocketTransport(options: WebSocketTransportOptions): AuthenticatingTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: EngineEvent) => void>();
  let nextId = 1;
  let closed = false;
  let socket: WebSocket;
  let ready: Promise<void>;
  let retryMs = 250;
  let credentials = options.credentials;
  let lastGrant: SessionGrant | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

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
        if (!credentials) return resolve();
        authenticate(credentials).then(
          () => resolve(),
          (error: ParleyError) => reject(error),
        );
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
    socket.addEventListener('close', (event) => {
      options.onStatus?.('closed');
      failAll('Connection to the Parley engine closed');
      if (event.code === CLOSE_UNAUTHORIZED && credentials) {
        // The session ended (expired, revoked, signed out): the token is worthless now.
        credentials = undefined;
        options.onSession?.(null);
      }
      if (!closed && options.reconnect) {
        reconnectTimer = setTimeout(() => {
          reconnectTimer = undefined;
          connect();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, 5_000);
      }
    });
  };
  /** Sends one frame and waits for its result. */
  const request = (frame: Record<string, unknown>, what: string): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new ParleyError('transport', `No answer to ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ ...frame, id }));
    });
  };

  const authenticate = async (with_: AuthCredentials): Promise<SessionGrant> => {
    try {
      const grant = (await request({ type: 'auth', credentials: with_ }, 'sign-in')) as SessionGrant;
      credentials = { token: grant.token };
      lastGrant = grant;
      options.onSession?.(grant);
      return grant;
    } catch (error) {
      // Failed credentials are never retried on reconnect (a link is single-use; a bad password stays bad).
      credentials = undefined;
      options.onSession?.(null, error instanceof ParleyError ? error : undefined);
      throw error;
    }
  };

  connect();

  return {
    async invoke(command: CommandName, payload: unknown) {
      await ready;
      return request({ type: 'invoke', command, payload }, command);
    },
    async signIn(with_) {
      await ready.catch(() => undefined);
      if (socket.readyState === WebSocket.OPEN) return authenticate(with_);
      // Closed (the server ends sockets that do not sign in): connect again, signing in on open.
      credentials = with_;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      if (socket.readyState !== WebSocket.CONNECTING) connect();
      lastGrant = undefined;
      await ready;
      if (!lastGrant) throw new ParleyError('unauthorized', 'Sign-in failed');
      return lastGrant;
    },
    async signOut() {
      await ready.catch(() => undefined);
      credentials = undefined;
      if (socket.readyState === WebSocket.OPEN) await request({ type: 'logout' }, 'sign-out').catch(() => undefined);
      options.onSession?.(null);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      failAll('Client closed');
      socket.close();
    },
  };
}

function toError(shape: unknown): ParleyError {
  const parsed = RpcErrorShape.safeParse(shape);
  return parsed.success ? ParleyError.fromShape(parsed.data) : new ParleyError('internal', 'Malformed error from server');
}
