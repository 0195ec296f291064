import {
  createClient,
  createWebSocketTransport,
  ParleyError,
  PRELOAD_GLOBAL,
  RPC_PATH,
  SIGNIN_LINK_PARAM,
  type AuthCredentials,
  type ParleyClient,
  type PreloadApi,
  type SessionGrant,
  type Transport,
} from '../../electron/contracts';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface Auth {
  signIn(credentials: AuthCredentials): Promise<SessionGrant>;
  signOut(): Promise<void>;
}

/**
 * Inside Electron the preload has put `window.parley` there (the app's own window acts as the local
 * admin); in a browser we talk WebSocket to `parley serve` and sign in first: with a one-time link
 * in the address (`#signin=…`), a token kept from earlier in this tab, or the login form.
 */
export function connect(
  onStatus: (status: ConnectionStatus) => void,
  onSession: (grant: SessionGrant | null, error?: ParleyError) => void,
  storedToken: string | null,
): { client: ParleyClient; host: 'electron' | 'browser'; auth: Auth | null } {
  const api = (globalThis as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL];
  if (api) {
    onStatus('open');
    return { client: createClient(ipcTransport(api)), host: 'electron', auth: null };
  }
  const link = takeSigninLink();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const transport = createWebSocketTransport({
    url: `${scheme}://${location.host}${RPC_PATH}`,
    reconnect: true,
    onStatus,
    onSession,
    credentials: link ? { link } : storedToken ? { token: storedToken } : undefined,
  });
  return { client: createClient(transport), host: 'browser', auth: transport };
}

/** The code of a sign-in link, removed from the address bar so it is neither bookmarked nor reused. */
function takeSigninLink(): string | null {
  const params = new URLSearchParams(location.hash.slice(1));
  const code = params.get(SIGNIN_LINK_PARAM);
  if (code) history.replaceState(null, '', location.pathname + location.search);
  return code;
}

function ipcTransport(api: PreloadApi): Transport {
  return {
    async invoke(command, payload) {
      const outcome = await api.commands[command](payload);
      if (outcome.ok) return outcome.result;
      throw ParleyError.fromShape(outcome.error);
    },
    subscribe: (listener) => api.onEvent(listener),
    close: () => undefined,
  };
}
