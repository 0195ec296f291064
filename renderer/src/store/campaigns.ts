import { create } from 'zustand';
import type { Campaign, CampaignInput, ParleyClient } from '../../../electron/contracts';

interface CampaignsState {
  byId: Record<string, Campaign>;
  order: string[];
  loaded: boolean;
  error: string | undefined;
  load(client: ParleyClient): Promise<void>;
  create(client: ParleyClient, input: CampaignInput): Promise<Campaign>;
  update(client: ParleyClient, id: string, input: CampaignInput): Promise<Campaign>;
  remove(client: ParleyClient, id: string): Promise<void>;
  /** Applies engine events so every open console stays in step. */
  upsert(campaign: Campaign): void;
  drop(id: string): void;
}

const newestFirst = (byId: Record<string, Campaign>) =>
  Object.values(byId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id))
    .map((c) => c.id);

export const useCampaigns = create<CampaignsState>((set, get) => ({
  byId: {},
  order: [],
  loaded: false,
  error: undefined,
  async load(client) {
    try {
      const list = await client.call('campaigns.list', {});
      const byId = Object.fromEntries(list.map((c) => [c.id, c]));
      set({ byId, order: newestFirst(byId), loaded: true, error: undefined });
    } catch (error) {
      set({ error: (error as Error).message, loaded: true });
    }
  },
  async create(client, input) {
    const campaign = await client.call('campaigns.create', input);
    get().upsert(campaign);
    return campaign;
  },
  async update(client, id, input) {
    const campaign = await client.call('campaigns.update', { id, patch: input });
    get().upsert(campaign);
    return campaign;
  },
  async remove(client, id) {
    await client.call('campaigns.delete', { id });
    get().drop(id);
  },
  upsert(campaign) {
    const byId = { ...get().byId, [campaign.id]: campaign };
    set({ byId, order: newestFirst(byId) });
  },
  drop(id) {
    const { [id]: _gone, ...byId } = get().byId;
    set({ byId, order: newestFirst(byId) });
  },
}));
