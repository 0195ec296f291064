import type { Kysely } from 'kysely';
import { ParleyError, type CallAnalysis, type CallOutcome } from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { LanguageModel } from '../ports/llm';
import type { Database } from '../storage/schema';
import { AnalysisStore, type AnalysisFlags } from './analysis-store';
import { loadCallRecord, type CallRecord } from './call-record';
import { analyzeWithLlm } from './llm-analyzer';
import { Outbox } from './outbox';
import { analyzeByRules, type AnalysisDraft } from './rules-analyzer';

/** Outbox kind the CRM sync worker delivers. */
export const CRM_CALL_SUMMARY = 'crm.call-summary';
/**
 * A lead at or above this qualification counts as qualified in the funnel: high interest alone
 * (0.6 with every other part unknown) is not enough, it needs one known budget, timeline or authority.
 */
export const QUALIFIED_THRESHOLD = 0.65;

export interface CallAnalysisServiceOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  /** The installed language model, or null when none is installed (rule-based analysis then). */
  languageModel?: () => Promise<LanguageModel | null>;
}

/**
 * Analyses each ended call once (re-runs replace the stored result), stores it, queues it for CRM
 * sync in the same database (never for a dry run), and tells the console.
 */
export class CallAnalysisService {
  readonly store: AnalysisStore;
  readonly outbox: Outbox;

  constructor(private readonly options: CallAnalysisServiceOptions) {
    this.store = new AnalysisStore(options.db);
    this.outbox = new Outbox(options.db, options.clock);
  }

  async analyze(callId: string, signal?: AbortSignal): Promise<CallAnalysis> {
    const record = await loadCallRecord(this.options.db, callId);
    if (record.endedAt === null) throw new ParleyError('conflict', `Call ${callId} has not ended yet; it is analysed when it ends`);
    const { draft, method, model } = await this.draft(record, signal);
    const analysis: CallAnalysis = {
      callId,
      campaignId: record.campaignId,
      contactId: record.contactId,
      ...draft,
      method,
      model,
      createdAt: new Date(this.options.clock.now()).toISOString(),
    };
    const key = `call-analysis:${callId}`;
    // Stored and queued in one transaction: a crash cannot leave an analysis the CRM never hears of.
    await this.options.db.transaction().execute(async (trx) => {
      await new AnalysisStore(trx).save(analysis, flagsOf(record, draft), record.createdAt);
      if (record.dryRun) return; // a dry run never reaches the CRM
      const outbox = new Outbox(trx, this.options.clock);
      // First analysis: queue it. A re-run: replace it while unsent, or send the correction as its own message.
      const route = { target: 'crm', orderKey: analysis.contactId ?? `call:${callId}` };
      if (!(await outbox.enqueue(CRM_CALL_SUMMARY, analysis, key, route)) && !(await outbox.replacePending(key, analysis))) {
        await outbox.enqueue(CRM_CALL_SUMMARY, analysis, `${key}@${analysis.createdAt}`, route);
      }
    });
    this.options.logger.info({ callId, outcome: analysis.outcome, method }, 'call analysed');
    this.options.events.emit('call.analyzed', analysis);
    return analysis;
  }

  private async draft(record: CallRecord, signal?: AbortSignal): Promise<{ draft: AnalysisDraft; method: 'llm' | 'rules'; model: string | null }> {
    const model = await this.options.languageModel?.().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'language model unavailable; using rule-based analysis');
      return null;
    });
    if (model && record.transcript.length > 0) {
      try {
        return { draft: await analyzeWithLlm(model, record, signal), method: 'llm', model: model.name };
      } catch (error) {
        if (signal?.aborted) throw error;
        this.options.logger.warn({ err: error, callId: record.callId }, 'LLM analysis failed; using rule-based analysis');
      }
    }
    return { draft: analyzeByRules(record), method: 'rules', model: null };
  }
}

const NO_CONVERSATION: CallOutcome[] = ['voicemail', 'no_answer'];

export function flagsOf(record: CallRecord, draft: AnalysisDraft): AnalysisFlags {
  const callerTurns = record.transcript.filter((t) => t.speaker === 'caller').length;
  const converted = draft.outcome === 'converted';
  return {
    conversation: callerTurns >= 2 && !NO_CONVERSATION.includes(draft.outcome),
    qualified: converted || draft.leadScore.qualification >= QUALIFIED_THRESHOLD,
    converted,
  };
}
