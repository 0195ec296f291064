import { create } from 'zustand';
import type { Contact, ParleyClient } from '../../../electron/contracts';

/** Rows fetched per request; the list asks for pages as they scroll into view. */
export const CONTACT_PAGE = 200;

interface ContactsState {
  search: string;
  total: number | undefined;
  /** Page index -> rows; cleared whenever the list may have changed. */
  pages: Record<number, Contact[]>;
  loading: Record<number, boolean>;
  error: string | undefined;
  /** Bumped on every reset, so answers to stale requests are dropped. */
  generation: number;
  setSearch(client: ParleyClient, search: string): void;
  ensurePage(client: ParleyClient, page: number): Promise<void>;
  reset(client: ParleyClient): void;
  replace(contact: Contact): void;
}

export const useContacts = create<ContactsState>((set, get) => ({
  search: '',
  total: undefined,
  pages: {},
  loading: {},
  error: undefined,
  generation: 0,
  setSearch(client, search) {
    set({ search });
    get().reset(client);
  },
  async ensurePage(client, page) {
    const { pages, loading, generation, search } = get();
    if (pages[page] || loading[page]) return;
    set({ loading: { ...loading, [page]: true } });
    try {
      const result = await client.call('contacts.list', { search, offset: page * CONTACT_PAGE, limit: CONTACT_PAGE });
      if (get().generation !== generation) return;
      set((s) => ({ total: result.total, pages: { ...s.pages, [page]: result.contacts }, error: undefined }));
    } catch (error) {
      if (get().generation === generation) set({ error: (error as Error).message });
    } finally {
      if (get().generation === generation) set((s) => ({ loading: { ...s.loading, [page]: false } }));
    }
  },
  reset(client) {
    set((s) => ({ pages: {}, loading: {}, generation: s.generation + 1 }));
    void get().ensurePage(client, 0);
  },
  replace(contact) {
    const pages = { ...get().pages };
    for (const [index, rows] of Object.entries(pages)) {
      const at = rows.findIndex((c) => c.id === contact.id);
      if (at >= 0) pages[Number(index)] = rows.map((c, i) => (i === at ? contact : c));
    }
    set({ pages });
  },
}));
