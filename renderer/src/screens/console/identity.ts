import { create } from 'zustand';
import type { Supervisor } from '../../../../electron/contracts';

const NAME_KEY = 'parley.supervisor.name';
const ID_KEY = 'parley.supervisor.id';

/** Per browser tab: a reload keeps the id, so a supervisor who reloads within the grace period keeps their call. */
function tabId(): string {
  try {
    const existing = sessionStorage.getItem(ID_KEY);
    if (existing) return existing;
    const id = crypto.randomUUID();
    sessionStorage.setItem(ID_KEY, id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

interface IdentityState {
  id: string;
  name: string;
  setName(name: string): void;
}

/** Who this desk agent is, as other consoles see them when they control a call. */
export const useIdentity = create<IdentityState>((set) => ({
  id: tabId(),
  name: storedName(),
  setName(name) {
    try {
      localStorage.setItem(NAME_KEY, name);
    } catch {
      // private mode: the name lasts for this page only
    }
    set({ name });
  },
}));

export function currentSupervisor(): Supervisor {
  const { id, name } = useIdentity.getState();
  return { id, name };
}
