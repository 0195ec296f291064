import { create } from 'zustand';
import type { CarrierState, Line, ParleyClient } from '../../../electron/contracts';

interface LinesState {
  list: Line[];
  loaded: boolean;
  error: string | undefined;
  load(client: ParleyClient): Promise<void>;
  upsert(line: Line): void;
  drop(id: string): void;
  setState(id: string, state: CarrierState): void;
  /** Follows line.changed / line.state events; returns the unsubscribe. */
  follow(client: ParleyClient): () => void;
}

const byCreation = (list: Line[]) => [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));

/** The office's lines with their live state and calls in progress. */
export const useLines = create<LinesState>((set, get) => ({
  list: [],
  loaded: false,
  error: undefined,
  async load(client) {
    try {
      set({ list: byCreation(await client.call('lines.list', {})), loaded: true, error: undefined });
    } catch (error) {
      set({ error: (error as Error).message, loaded: true });
    }
  },
  upsert(line) {
    set({ list: byCreation([...get().list.filter((l) => l.id !== line.id), line]) });
  },
  drop(id) {
    set({ list: get().list.filter((l) => l.id !== id) });
  },
  setState(id, state) {
    set({ list: get().list.map((l) => (l.id === id ? { ...l, state } : l)) });
  },
  follow(client) {
    const offs = [
      client.on('line.changed', ({ id, line }) => (line ? get().upsert(line) : get().drop(id))),
      client.on('line.state', ({ id, state }) => get().setState(id, state)),
      // Calls in progress per line change as calls start and end.
      client.on('call.started', () => void get().load(client)),
      client.on('call.ended', () => void get().load(client)),
    ];
    return () => offs.forEach((off) => off());
  },
}));
