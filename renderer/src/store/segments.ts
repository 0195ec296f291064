import { create } from 'zustand';
import type { ParleyClient, Segment } from '../../../electron/contracts';

interface SegmentsState {
  list: Segment[];
  loaded: boolean;
  error: string | undefined;
  load(client: ParleyClient): Promise<void>;
  upsert(segment: Segment): void;
  drop(id: string): void;
}

const byName = (list: Segment[]) => [...list].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

/** Saved segments with their live counts (reloaded when contacts change). */
export const useSegments = create<SegmentsState>((set, get) => ({
  list: [],
  loaded: false,
  error: undefined,
  async load(client) {
    try {
      set({ list: byName(await client.call('segments.list', {})), loaded: true, error: undefined });
    } catch (error) {
      set({ error: (error as Error).message, loaded: true });
    }
  },
  upsert(segment) {
    set({ list: byName([...get().list.filter((s) => s.id !== segment.id), segment]) });
  },
  drop(id) {
    set({ list: get().list.filter((s) => s.id !== id) });
  },
}));
