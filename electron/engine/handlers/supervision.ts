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
} {
  const { live, controls, actions } = ctx.supervision;
  return {
    'supervision.board': async () => live.board(),
    'supervision.call': async ({ callId }) => ctx.supervision.detail(callId),
    'supervision.heartbeat': async ({ supervisor }) => controls.heartbeat(supervisor),
    'supervision.listen': async ({ callId, supervisor }) => actions.listen(callId, supervisor),
    'supervision.whisper': async ({ callId, supervisor, text }) => controls.whisper(callId, supervisor, text),
    'supervision.barge': async ({ callId, supervisor }) => controls.speak(callId, supervisor, 'barge'),
    'supervision.takeover': async ({ callId, supervisor }) => controls.speak(callId, supervisor, 'takeover'),
    'supervision.handBack': async ({ callId, supervisor }) => controls.handBack(callId, supervisor),
    'supervision.endCall': async ({ callId, supervisor, reason }) => actions.endCall(callId, supervisor, reason),
    'supervision.markDnc': async ({ callId, supervisor, reason }) => actions.markDnc(callId, supervisor, reason),
    'supervision.scheduleCallback': async ({ callId, supervisor, at, note }) => actions.scheduleCallback(callId, supervisor, at, note),
    'supervision.note': async ({ callId, supervisor, text }) => actions.note(callId, supervisor, text),
    'supervision.dismissAlert': async ({ callId, supervisor, alertId }) => actions.dismissAlert(callId, supervisor, alertId),
    'softphone.call': async ({ campaignId, supervisor }) => ctx.supervision.softphoneCall(campaignId, supervisor),
  };
}
