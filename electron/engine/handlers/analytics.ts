import { CallAnalysisService } from '../analysis/analysis-service';
import { callLanguageModel } from '../analysis/call-intelligence';
import { buildDashboard } from '../analytics/dashboard';
import { exportCsv } from '../analytics/csv-export';
import { toTimeRange } from '../analytics/date-range';
import { EmotionStore } from '../emotion/emotion-store';
import { analyzeTextLexicon } from '../emotion/text-lexicon';
import type { LanguageModel } from '../ports/llm';
import type { EngineContext, Handler } from './types';

export interface AnalyticsHandlerOptions {
  /** The language model for post-call analysis; defaults to the one loaded for calls (null: rules). */
  languageModel?: () => Promise<LanguageModel | null>;
}

/** Emotion readings, post-call analysis and the campaign dashboard. */
export function analyticsHandlers(
  ctx: EngineContext,
  options: AnalyticsHandlerOptions = {},
): {
  'emotion.track': Handler<'emotion.track'>;
  'emotion.analyzeText': Handler<'emotion.analyzeText'>;
  'analysis.get': Handler<'analysis.get'>;
  'analysis.run': Handler<'analysis.run'>;
  'analysis.list': Handler<'analysis.list'>;
  'analysis.forContact': Handler<'analysis.forContact'>;
  'analytics.dashboard': Handler<'analytics.dashboard'>;
  'analytics.exportCsv': Handler<'analytics.exportCsv'>;
} {
  const emotions = new EmotionStore(ctx.store.db);
  const analysis = new CallAnalysisService({
    db: ctx.store.db,
    clock: ctx.clock,
    logger: ctx.logger,
    events: ctx.events,
    languageModel: options.languageModel ?? callLanguageModel(ctx),
  });
  return {
    'emotion.track': ({ callId }) => emotions.track(callId),
    'emotion.analyzeText': async ({ text }) => {
      const { cues: _cues, ...reading } = analyzeTextLexicon(text);
      return reading;
    },
    'analysis.get': ({ callId }) => analysis.store.get(callId),
    'analysis.run': ({ callId }) => analysis.analyze(callId),
    'analysis.list': ({ limit, ...filter }) => analysis.store.list(filter.campaignId, toTimeRange(filter), limit, filter.runs),
    'analysis.forContact': ({ contactId, limit }) => analysis.store.forContact(contactId, limit),
    'analytics.dashboard': async (filter) => {
      const dashboard = await buildDashboard(ctx.store.reads, filter);
      ctx.logger.debug({ campaignId: filter.campaignId, queryMs: dashboard.queryMs }, 'dashboard built');
      return dashboard;
    },
    'analytics.exportCsv': async (request) => exportCsv(ctx.store.sqlite, request),
  };
}
