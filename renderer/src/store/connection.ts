import { create } from 'zustand';
import type { ConnectionStatus } from '../transport';

interface ConnectionState {
  status: ConnectionStatus;
  host: 'electron' | 'browser' | undefined;
  setStatus(status: ConnectionStatus): void;
  setHost(host: 'electron' | 'browser'): void;
}

export const useConnection = create<ConnectionState>((set) => ({
  status: 'connecting',
  host: undefined,
  setStatus: (status) => set({ status }),
  setHost: (host) => set({ host }),
}));
