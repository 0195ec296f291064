import type { EngineContext, Handler } from './types';

export function voiceHandlers(ctx: EngineContext): {
  'voice.status': Handler<'voice.status'>;
  'voice.personas': Handler<'voice.personas'>;
  'voice.testCall': Handler<'voice.testCall'>;
  'voice.transcript': Handler<'voice.transcript'>;
  'voice.latency': Handler<'voice.latency'>;
} {
  const { voice } = ctx;
  return {
    'voice.status': async () => voice.status(),
    'voice.personas': async () => voice.personas(),
    'voice.testCall': async ({ campaignId, persona, contactName }) => {
      const { callId } = await voice.testCall(campaignId, persona, contactName);
      ctx.logger.info({ callId, campaignId, persona }, 'test call placed');
      return { callId };
    },
    'voice.transcript': async ({ callId }) => voice.calls.transcript(callId),
    'voice.latency': async (filter) => voice.latencySummary(filter),
  };
}
