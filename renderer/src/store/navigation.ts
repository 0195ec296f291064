import { create } from 'zustand';

/**
 * Which screen the shell shows, and which record it is open on. Screens move the user with
 * `go(...)` (for example the live console's ended-call card opens that call's page).
 */
export interface NavigationTarget {
  screen: string;
  /** The call a call page shows (inside the 'calls' screen). */
  callId?: string;
  /** The campaign a campaigns screen opens on. */
  campaignId?: string;
  /** The contact a contacts screen opens on. */
  contactId?: string;
}

interface NavigationState {
  target: NavigationTarget | null;
  go(target: NavigationTarget): void;
}

export const useNavigation = create<NavigationState>((set) => ({
  target: null,
  go: (target) => set({ target }),
}));
