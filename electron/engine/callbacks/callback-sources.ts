import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import { readSettings } from '../storage/campaign-settings-store';
import type { Store } from '../storage/database';
import type { LiveCallObserver } from '../voice/call-launcher';
import type { CallbackService } from './callback-service';

/**
 * Books the callbacks the engine itself decides: the agent's schedule-callback action (the caller's
 * own words, booked the moment the agent decides, so a crash later in the call loses nothing) and,
 * where the campaign allows it, the post-call analysis's "call back" next action.
 */
export function connectCallbackSources(deps: {
  launcher: { observe(observer: LiveCallObserver): () => void };
  events: EventBus;
  store: Store;
  callbacks: CallbackService;
  logger: Logger;
}): () => void {
  const { callbacks, logger } = deps;
  const offAgent = deps.launcher.observe({
    disposition(callId, action) {
      if (action.type !== 'schedule-callback') return;
      try {
        const { detail } = callbacks.bookFromCall({ callId, source: 'caller', requestedBy: 'Caller, through the agent', words: action.when, note: action.note, assigneeUserId: null });
        logger.info({ callId, detail }, 'agent callback');
      } catch (error) {
        logger.error({ err: error, callId }, 'booking the agent callback failed');
      }
    },
  });
  const hasCallback = deps.store.sqlite.prepare('select 1 from callbacks where origin_call_id = ?');
  const settingsOf = deps.store.sqlite.prepare('select settings from campaigns where id = ?');
  const offAnalysis = deps.events.subscribe((event) => {
    if (event.name !== 'call.analyzed') return;
    const analysis = event.payload as { callId: string; campaignId: string | null; nextAction: { kind: string; detail: string } };
    if (analysis.nextAction.kind !== 'call_back' || !analysis.campaignId) return;
    try {
      const row = settingsOf.get(analysis.campaignId) as { settings: string } | undefined;
      if (!row || !readSettings(row.settings).analysisBooksCallbacks) return;
      if (hasCallback.get(analysis.callId)) return; // the agent or a supervisor already booked one for this call
      callbacks.bookFromCall({ callId: analysis.callId, source: 'analysis', requestedBy: 'Call analysis', words: analysis.nextAction.detail, note: analysis.nextAction.detail, assigneeUserId: null });
    } catch (error) {
      logger.error({ err: error, callId: analysis.callId }, 'booking the analysis callback failed');
    }
  });
  return () => {
    offAgent();
    offAnalysis();
  };
}
