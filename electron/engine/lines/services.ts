import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Telephony } from '../ports/telephony';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../storage/database';
import { LINE_FACTORIES, type LineFactories } from '../telephony/line-factories';
import type { PlayoutClock } from '../voice/playout-clock';
import { LineCarriers } from './line-carriers';
import { LinesRepository } from './lines-repository';

/** Lines, built once per engine: the stored lines, their carriers and the secret store. */
export interface LineServices {
  lines: LinesRepository;
  carriers: LineCarriers;
  secrets: SecretStore;
}

export function createLineServices(deps: {
  store: Store;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  secrets: SecretStore;
  playoutClock: PlayoutClock;
  /** The engine's simulated carrier, shared by every simulated line. */
  simulated: Telephony;
  /** Replaces the registry's factory for some kinds (tests run a "real" line over a test double). */
  factories?: Partial<LineFactories>;
  /** Build network carriers at start (the engine that dials); one-shot commands build them only to test. */
  connect: boolean;
}): LineServices {
  const carriers = new LineCarriers({
    factories: { ...LINE_FACTORIES, ...deps.factories },
    carrierDeps: { logger: deps.logger, clock: deps.playoutClock, simulated: deps.simulated },
    connect: deps.connect,
    secrets: deps.secrets,
    events: deps.events,
    logger: deps.logger,
    now: () => deps.clock.now(),
  });
  return { lines: new LinesRepository(deps.store.db, deps.clock), carriers, secrets: deps.secrets };
}
