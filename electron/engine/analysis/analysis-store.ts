import type { Kysely, Selectable } from 'kysely';
import { CallAnalysis, CallOutcome, DecisionMaker, EmotionLabel, InterestLevel, LeadScore, NextAction, CampaignAnswer } from '../../contracts';
import type { CallAnalysisTable } from '../storage/analysis-tables';
import type { Database } from '../storage/schema';

/** Funnel flags stored beside the analysis so the dashboard counts them with one index scan. */
export interface AnalysisFlags {
  conversation: boolean;
  qualified: boolean;
  converted: boolean;
}

export class AnalysisStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores (or replaces, on a re-run) the analysis of a call. */
  async save(analysis: CallAnalysis, flags: AnalysisFlags, callCreatedAt: number): Promise<void> {
    const row: Selectable<CallAnalysisTable> = {
      call_id: analysis.callId,
      campaign_id: analysis.campaignId,
      contact_id: analysis.contactId,
      call_created_at: callCreatedAt,
      created_at: Date.parse(analysis.createdAt),
      method: analysis.method,
      model: analysis.model,
      outcome: analysis.outcome,
      summary: analysis.summary,
      answers: JSON.stringify(analysis.answers),
      qualification: analysis.leadScore.qualification,
      interest: analysis.leadScore.interest,
      budget: JSON.stringify(analysis.leadScore.budget),
      timeline: JSON.stringify(analysis.leadScore.timeline),
      decision_maker: analysis.leadScore.decisionMaker,
      csat: analysis.csat,
      next_action: JSON.stringify(analysis.nextAction),
      dominant_emotion: analysis.dominantEmotion,
      conversation: flags.conversation ? 1 : 0,
      qualified: flags.qualified ? 1 : 0,
      converted: flags.converted ? 1 : 0,
    };
    const { call_id: _id, ...update } = row;
    await this.db
      .insertInto('call_analysis')
      .values(row)
      .onConflict((oc) => oc.column('call_id').doUpdateSet(update))
      .execute();
  }

  async get(callId: string): Promise<CallAnalysis | null> {
    const row = await this.db.selectFrom('call_analysis').selectAll().where('call_id', '=', callId).executeTakeFirst();
    return row ? toAnalysis(row) : null;
  }

  /** Newest first, by when the call was placed. */
  /** `runs`: 'real' leaves dry runs out, 'dry' keeps only them, 'all' both. */
  async list(campaignId: string, range: { fromMs: number; toMs: number }, limit: number, runs: 'all' | 'real' | 'dry' = 'all'): Promise<CallAnalysis[]> {
    let query = this.db
      .selectFrom('call_analysis')
      .selectAll('call_analysis')
      .where('call_analysis.campaign_id', '=', campaignId)
      .where('call_created_at', '>=', range.fromMs)
      .where('call_created_at', '<', range.toMs);
    if (runs !== 'all') query = query.innerJoin('calls', 'calls.id', 'call_analysis.call_id').where('calls.dry_run', '=', runs === 'dry' ? 1 : 0);
    const rows = await query
      .orderBy('call_created_at', 'desc')
      .orderBy('call_id')
      .limit(limit)
      .execute();
    return rows.map(toAnalysis);
  }

  /** What the contact's real calls achieved: a dry run never becomes part of a contact's record. */
  async forContact(contactId: string, limit: number): Promise<CallAnalysis[]> {
    const rows = await this.db
      .selectFrom('call_analysis')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('calls').select('calls.id').whereRef('calls.id', '=', 'call_analysis.call_id').where('calls.dry_run', '=', 1))))
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toAnalysis);
  }
}

export function toAnalysis(row: Selectable<CallAnalysisTable>): CallAnalysis {
  return {
    callId: row.call_id,
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    summary: row.summary,
    outcome: CallOutcome.parse(row.outcome),
    answers: CampaignAnswer.array().parse(JSON.parse(row.answers)),
    leadScore: {
      qualification: row.qualification,
      interest: InterestLevel.parse(row.interest),
      budget: LeadScore.shape.budget.parse(JSON.parse(row.budget)),
      timeline: LeadScore.shape.timeline.parse(JSON.parse(row.timeline)),
      decisionMaker: DecisionMaker.parse(row.decision_maker),
    },
    csat: row.csat,
    nextAction: NextAction.parse(JSON.parse(row.next_action)),
    dominantEmotion: row.dominant_emotion ? EmotionLabel.parse(row.dominant_emotion) : null,
    method: row.method === 'llm' ? 'llm' : 'rules',
    model: row.model,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
