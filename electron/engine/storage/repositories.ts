import type { Clock } from '../clock';
import { CampaignsRepository } from './campaigns-repository';
import type { Store } from './database';

/** One repository per aggregate, built once per engine. */
export interface Repositories {
  campaigns: CampaignsRepository;
}

export function createRepositories(store: Store, clock: Clock): Repositories {
  return {
    campaigns: new CampaignsRepository(store.db, clock),
  };
}
