import {
  createClient,
  createWebSocketTransport,
  ParleyError,
  PRELOAD_GLOBAL,
  RPC_PATH,
  type ParleyClient,
  type PreloadApi,
  type Transport,
} from '../../electron/contracts';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** Inside Electron the preload has put `window.parley` there; in a browser we talk WebSocket to `parley serve`. */
export function connect(onStatus: (status: ConnectionStatus) => void): { client: ParleyClient; host: 'electron' | 'browser' } {
  const api = (globalThis as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL];
  if (api) {
    onStatus('open');
    return { client: createClient(ipcTransport(api)), host: 'electron' };
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const transport = createWebSocketTransport({
    url: `${scheme}://${location.host}${RPC_PATH}`,
    reconnect: true,
    onStatus,
  });
  return { client: createClient(transport), host: 'browser' };
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
