import type { Actor, Supervisor } from '../../contracts';
import { seesCampaign } from '../dispatch';
import type { EngineContext, Handler } from './types';

/** The live agent console: board, call view, control of a call, and softphone test calls. */
export function supervisionHandlers(ctx: EngineContext): {
  'supervision.board': Handler<'supervision.board'>;
  'supervision.call': Handler<'supervision.call'>;
  'supervision.heartbeat': Handler<'supervision.heartbeat'>;
  'supervision.listen': Handler<'supervision.listen'>;
  'supervision.whisper': Handler<'supervision.whisper'>;
  'supervision.barge': Handler<'supervision.barge'>;
  'supervision.takeover': Handler<'supervision.takeover'>;
  'supervision.handBack': Handler<'supervision.handBack'>;
  'supervision.endCall': Handler<'supervision.endCall'>;
  'supervision.markDnc': Handler<'supervision.markDnc'>;
  'supervision.scheduleCallback': Handler<'supervision.scheduleCallback'>;
  'supervision.note': Handler<'supervision.note'>;
  'supervision.dismissAlert': Handler<'supervision.dismissAlert'>;
  'softphone.call': Handler<'softphone.call'>;
  'transfers.waiting': Handler<'transfers.waiting'>;
  'transfers.request': Handler<'transfers.request'>;
  'transfers.accept': Handler<'transfers.accept'>;
} {
  const { live, controls, actions } = ctx.supervision;
  return {
    'supervision.board': async (_request, actor) => live.board().filter((call) => seesCampaign(actor, call.campaignId)),
    'supervision.call': async ({ callId }) => ctx.supervision.detail(callId),
    'supervision.heartbeat': async (_request, actor) => controls.heartbeat(supervisorOf(actor)),
    'supervision.listen': async ({ callId }, actor) => actions.listen(callId, supervisorOf(actor)),
    'supervision.whisper': async ({ callId, text }, actor) => controls.whisper(callId, supervisorOf(actor), text),
    'supervision.barge': async ({ callId }, actor) => controls.speak(callId, supervisorOf(actor), 'barge'),
    'supervision.takeover': async ({ callId }, actor) => controls.speak(callId, supervisorOf(actor), 'takeover'),
    'supervision.handBack': async ({ callId }, actor) => controls.handBack(callId, supervisorOf(actor)),
    'supervision.endCall': async ({ callId, reason }, actor) => actions.endCall(callId, supervisorOf(actor), reason),
    'supervision.markDnc': async ({ callId, reason }, actor) => actions.markDnc(callId, supervisorOf(actor), reason),
    'supervision.scheduleCallback': async ({ callId, at, note, assignTo }, actor) => actions.scheduleCallback(callId, supervisorOf(actor), at, note, assignTo),
    'supervision.note': async ({ callId, text }, actor) => actions.note(callId, supervisorOf(actor), text),
    'supervision.dismissAlert': async ({ callId, alertId }, actor) => actions.dismissAlert(callId, supervisorOf(actor), alertId),
    'softphone.call': async ({ campaignId }, actor) => ctx.supervision.softphoneCall(campaignId, supervisorOf(actor)),
    'transfers.waiting': async (_request, actor) => ctx.supervision.waiting.list().filter((w) => seesCampaign(actor, w.campaignId)),
    'transfers.request': async ({ callId, reason }, actor) => ctx.supervision.requestPerson(callId, supervisorOf(actor), reason),
    'transfers.accept': async ({ callId, via }, actor) => ctx.supervision.waiting.accept(callId, supervisorOf(actor), via),
  };
}

/** The acting supervisor is the session's user: never an id from the payload. */
function supervisorOf(actor: Actor): Supervisor {
  return { id: actor.userId, name: actor.displayName };
}
