import { z } from 'zod';
import { analyticsEvents } from './analytics';
import { emotionEvents } from './emotion';
import { Campaign, EntityId } from './campaigns';
import { contactEvents } from './contacts-commands';
import { dialerEvents } from './dialer';
import { segmentEvents } from './segments';
import { modelEvents } from './models-commands';
import { voiceEvents } from './voice';
import { supervisionEvents } from './supervision';
import { transferEvents } from './transfers';
import { callbackEvents } from './callbacks';
import { lineEvents } from './lines-commands';
import { reviewEvents } from './review';
import { officeAlertEvents } from './office-alerts';
import { deliveryEvents } from './delivery';
import { providerEvents } from './providers-commands';
import { updateEvents } from './updates';

/** Everything the engine tells UIs without being asked. */
export const events = {
  'campaign.changed': z.object({ campaign: Campaign }),
  'campaign.deleted': z.object({ id: EntityId }),
  ...voiceEvents,
  ...emotionEvents,
  ...analyticsEvents,
  ...modelEvents,
  ...contactEvents,
  ...segmentEvents,
  ...dialerEvents,
  ...supervisionEvents,
  ...transferEvents,
  ...lineEvents,
  ...reviewEvents,
  ...callbackEvents,
  ...officeAlertEvents,
  ...deliveryEvents,
  ...providerEvents,
  ...updateEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

/** A tagged union so one listener can take every event and narrow on `name`. */
export type EngineEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName];

export const eventNames = Object.keys(events) as EventName[];
