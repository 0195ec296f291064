import { create } from 'zustand';
import { SESSION_STORAGE_KEY, type SessionGrant, type UserView } from '../../../electron/contracts';

interface SessionState {
  /** 'checking': a stored token or sign-in link is being tried. */
  state: 'checking' | 'signed-out' | 'signed-in';
  user: UserView | null;
  /** Why the last sign-in failed or the session ended, for the login form. */
  notice: string | null;
  setGrant(grant: SessionGrant | null, notice?: string): void;
  setChecking(): void;
  setUser(user: UserView): void;
}

/** The signed-in user. The token lives in sessionStorage: it survives a reload, not the tab. */
export const useSession = create<SessionState>((set) => ({
  state: storedToken() ? 'checking' : 'signed-out',
  user: null,
  notice: null,
  setChecking: () => set({ state: 'checking' }),
  setGrant(grant, notice) {
    try {
      if (grant) sessionStorage.setItem(SESSION_STORAGE_KEY, grant.token);
      else sessionStorage.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // private mode: the session lasts for this page only
    }
    set(grant ? { state: 'signed-in', user: grant.user, notice: null } : { state: 'signed-out', user: null, notice: notice ?? null });
  },
  setUser: (user) => set({ state: 'signed-in', user }),
}));

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(SESSION_STORAGE_KEY);
  } catch {
    return null;
  }
}
