import type { ParleyClient } from '../../../electron/contracts';
import { useCampaignLive } from './campaign-live';
import { useContacts } from './contacts';
import { useSegments } from './segments';

/** Keeps contacts, segments and campaign counters in step with the engine, in every open console. */
export function subscribeDialing(client: ParleyClient): void {
  let refresh: ReturnType<typeof setTimeout> | undefined;
  const contactsChanged = () => {
    // Imports change many rows at once: refresh lists and segment counts once things settle.
    clearTimeout(refresh);
    refresh = setTimeout(() => {
      useContacts.getState().reset(client);
      void useSegments.getState().load(client);
    }, 300);
  };
  client.on('contacts.changed', contactsChanged);
  client.on('dnc.changed', contactsChanged);
  client.on('segments.changed', ({ segment }) => useSegments.getState().upsert(segment));
  client.on('segments.deleted', ({ id }) => useSegments.getState().drop(id));
  client.on('campaign.counters', ({ counters }) => useCampaignLive.getState().onCounters(counters));
  client.on('campaign.transition', ({ campaignId, transition }) => useCampaignLive.getState().onTransition(campaignId, transition));
}
