import { DEFAULT_EMOTION_SETTINGS } from '../../contracts/emotion';
import { CallEmotionService } from '../emotion/call-emotion-service';
import type { EngineContext } from '../handlers/types';
import type { LanguageModel } from '../ports/llm';
import { CallAnalysisService } from './analysis-service';
import { PostCallWorker } from './post-call-worker';

export interface CallIntelligence {
  emotion: CallEmotionService;
  analysis: CallAnalysisService;
  worker: PostCallWorker;
  dispose(): Promise<void>;
}

/**
 * The language model post-call analysis uses: the one the voice side loaded for calls (a local
 * model keeps a sequence free for extraction), or none, and then the rule-based analysis runs.
 */
export function callLanguageModel(ctx: Pick<EngineContext, 'voice'>): () => Promise<LanguageModel | null> {
  return async () => {
    await ctx.voice.runtime.ready();
    return ctx.voice.runtime.llm ?? null;
  };
}

/**
 * Live emotion for every call and an analysis for every ended call, started once per engine:
 * both listen to the voice pipeline's call events and never block it.
 */
export function startCallIntelligence(ctx: EngineContext): CallIntelligence {
  const emotion = new CallEmotionService({
    store: ctx.store,
    events: ctx.events,
    clock: ctx.clock,
    logger: ctx.logger,
    audio: ctx.voice.launcher,
    settingsFor: async (campaignId) => (campaignId ? (await ctx.repos.campaigns.get(campaignId)).emotion : DEFAULT_EMOTION_SETTINGS),
  });
  const analysis = new CallAnalysisService({ db: ctx.store.db, clock: ctx.clock, logger: ctx.logger, events: ctx.events, languageModel: callLanguageModel(ctx) });
  const worker = new PostCallWorker({ store: ctx.store, events: ctx.events, logger: ctx.logger, analysis, emotionSettled: (callId) => emotion.settled(callId) });
  emotion.start();
  worker.start();
  return {
    emotion,
    analysis,
    worker,
    async dispose() {
      await worker.dispose();
      await emotion.dispose();
    },
  };
}
