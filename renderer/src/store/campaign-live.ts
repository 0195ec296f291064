import { create } from 'zustand';
import type { CampaignCounters, CampaignTransition, DialerStatus, ParleyClient } from '../../../electron/contracts';

interface CampaignLiveState {
  counters: Record<string, CampaignCounters>;
  transitions: Record<string, CampaignTransition[]>;
  dialer: DialerStatus | undefined;
  load(client: ParleyClient, campaignId: string): Promise<void>;
  onCounters(counters: CampaignCounters): void;
  onTransition(campaignId: string, transition: CampaignTransition): void;
  loadDialer(client: ParleyClient): Promise<void>;
}

/** Live counters and status history of campaigns, fed by engine events. */
export const useCampaignLive = create<CampaignLiveState>((set, get) => ({
  counters: {},
  transitions: {},
  dialer: undefined,
  async load(client, campaignId) {
    const [counters, transitions] = await Promise.all([
      client.call('campaigns.counters', { id: campaignId }),
      client.call('campaigns.transitions', { id: campaignId }),
    ]);
    set((s) => ({ counters: { ...s.counters, [campaignId]: counters }, transitions: { ...s.transitions, [campaignId]: transitions } }));
  },
  onCounters(counters) {
    set((s) => ({ counters: { ...s.counters, [counters.campaignId]: counters } }));
  },
  onTransition(campaignId, transition) {
    const known = get().transitions[campaignId];
    if (!known) return;
    set((s) => ({ transitions: { ...s.transitions, [campaignId]: [...known, transition] } }));
  },
  async loadDialer(client) {
    try {
      set({ dialer: await client.call('dialer.status', {}) });
    } catch {
      // status is informational; the controls still work
    }
  },
}));
