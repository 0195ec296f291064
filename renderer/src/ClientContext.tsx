import { createContext, useContext } from 'react';
import type { ParleyClient } from '../../electron/contracts';

export const ClientContext = createContext<ParleyClient | null>(null);

export function useClient(): ParleyClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}
