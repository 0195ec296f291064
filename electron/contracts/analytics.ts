import { z } from 'zod';
import { EntityId } from './campaigns';
import { EmotionLabel } from './emotion';

/** How a call ended for the business. "converted" means the campaign's goal was reached. */
export const CallOutcome = z.enum([
  'converted',
  'interested',
  'callback',
  'not_interested',
  'wrong_number',
  'voicemail',
  'dnc_request',
  'no_answer',
  'other',
]);
export type CallOutcome = z.infer<typeof CallOutcome>;

export const CALL_OUTCOME_TEXT: Record<CallOutcome, string> = {
  converted: 'Converted',
  interested: 'Interested',
  callback: 'Callback requested',
  not_interested: 'Not interested',
  wrong_number: 'Wrong number',
  voicemail: 'Voicemail',
  dnc_request: 'Do-not-call request',
  no_answer: 'No answer',
  other: 'Other',
};

export const InterestLevel = z.enum(['high', 'medium', 'low', 'none']);
export const DecisionMaker = z.enum(['yes', 'shared', 'no', 'unknown']);

/** Lead score with its parts, as in the seed plans: qualification 0-1 plus BANT-style parts. */
export const LeadScore = z.object({
  qualification: z.number().min(0).max(1),
  interest: InterestLevel,
  budget: z.object({ status: z.enum(['confirmed', 'limited', 'none', 'unknown']), detail: z.string().nullable() }),
  timeline: z.object({ horizon: z.enum(['now', 'weeks', 'months', 'later', 'unknown']), detail: z.string().nullable() }),
  decisionMaker: DecisionMaker,
});
export type LeadScore = z.infer<typeof LeadScore>;

export const NextAction = z.object({
  kind: z.enum(['book_meeting', 'send_info', 'call_back', 'retry_later', 'hand_to_human', 'remove_from_list', 'none']),
  detail: z.string(),
});
export type NextAction = z.infer<typeof NextAction>;

export const CampaignAnswer = z.object({ question: z.string(), answer: z.string().nullable() });
export type CampaignAnswer = z.infer<typeof CampaignAnswer>;

/** What a finished call achieved: stored per call, shown on the call and the contact, synced to the CRM. */
export const CallAnalysis = z.object({
  callId: EntityId,
  campaignId: EntityId.nullable(),
  contactId: EntityId.nullable(),
  summary: z.string(),
  outcome: CallOutcome,
  answers: z.array(CampaignAnswer),
  leadScore: LeadScore,
  /** Estimated customer satisfaction, 1 (very unhappy) .. 5 (very happy). */
  csat: z.number().min(1).max(5),
  nextAction: NextAction,
  dominantEmotion: EmotionLabel.nullable(),
  method: z.enum(['llm', 'rules']),
  model: z.string().nullable(),
  createdAt: z.string(),
});
export type CallAnalysis = z.infer<typeof CallAnalysis>;

/** ISO date (YYYY-MM-DD) or full timestamp; `to` dates include the whole day. */
const DateBound = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'Use YYYY-MM-DD or an ISO timestamp');

export const AnalyticsFilter = z
  .object({
    campaignId: EntityId,
    from: DateBound.optional(),
    to: DateBound.optional(),
    /** Minutes east of UTC for "best hours" and day boundaries (the console's own time zone). */
    tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
    /** 'real': calls on real lines only; 'dry': dry runs (simulated line) only; 'all' (default): both. */
    runs: z.enum(['all', 'real', 'dry']).default('all'),
  })
  .strict();
export type AnalyticsFilter = z.input<typeof AnalyticsFilter>;

const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();

export const Dashboard = z.object({
  campaignId: EntityId,
  range: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  queryMs: z.number().nonnegative(),
  funnel: z.object({ dialed: count, answered: count, conversation: count, qualified: count, converted: count }),
  outcomes: z.array(z.object({ outcome: CallOutcome, calls: count })),
  attemptsPerContact: z.object({
    contacts: count,
    average: z.number().nonnegative().nullable(),
    /** attempts 1..4, and 5 meaning "5 or more". */
    histogram: z.array(z.object({ attempts: z.number().int().min(1).max(5), contacts: count })),
  }),
  bestHours: z.array(z.object({ hour: z.number().int().min(0).max(23), dialed: count, answered: count, converted: count, answerRate: rate, conversionRate: rate })),
  variants: z.object({
    rows: z.array(z.object({ variant: z.string(), dialed: count, answered: count, converted: count, conversionRate: rate })),
    /** Two-proportion z-test of conversion per answered call between the two largest variants. */
    comparison: z
      .object({ a: z.string(), b: z.string(), z: z.number(), pValue: z.number(), significant: z.boolean(), note: z.string() })
      .nullable(),
  }),
  emotions: z.array(z.object({ label: EmotionLabel, turns: count })),
  latency: z.array(z.object({ stage: z.string(), samples: count, p50Ms: z.number().nullable(), p95Ms: z.number().nullable() })),
  /**
   * Measured costs (lines, language-model tokens, billed voice characters, at the configured prices);
   * null when no cost was recorded. Per contact reached (answered) and per conversion: null when none.
   */
  cost: z
    .object({
      calls: count,
      totalUsd: z.number(),
      perCallUsd: z.number(),
      perReachedUsd: z.number().nullable(),
      perConversionUsd: z.number().nullable(),
      /** Per day (the console's time zone, `tzOffsetMinutes`): calls with a cost and what they cost. */
      byDay: z.array(z.object({ day: z.string(), calls: count, totalUsd: z.number() })),
    })
    .nullable(),
  quality: z.object({ analysed: count, averageCsat: z.number().nullable(), averageQualification: z.number().nullable() }),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const analyticsCommands = {
  'analytics.dashboard': {
    request: AnalyticsFilter,
    response: Dashboard,
  },
  /**
   * CSV of the filtered calls ("calls": one row per call) or of their analysis ("results"), a page at a
   * time: pass the previous page's `next` as `after` until it is null (the first page has the header).
   */
  'analytics.exportCsv': {
    request: AnalyticsFilter.extend({ kind: z.enum(['calls', 'results']), after: z.object({ at: z.number().int(), id: z.string().max(64) }).strict().optional() }).strict(),
    response: z.object({ filename: z.string(), rows: count, csv: z.string(), next: z.object({ at: z.number(), id: z.string() }).nullable() }),
  },
  'analysis.get': {
    request: z.object({ callId: EntityId }).strict(),
    response: CallAnalysis.nullable(),
  },
  /** Analyses (or re-analyses) an ended call now. */
  'analysis.run': {
    request: z.object({ callId: EntityId }).strict(),
    response: CallAnalysis,
  },
  /** The newest analyses of a campaign's calls in the range (the dashboard's latest results). */
  'analysis.list': {
    request: AnalyticsFilter.extend({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    response: z.array(CallAnalysis),
  },
  'analysis.forContact': {
    request: z.object({ contactId: EntityId, limit: z.number().int().min(1).max(200).default(20) }).strict(),
    response: z.array(CallAnalysis),
  },
} as const;

export const analyticsEvents = {
  /** A call's post-call analysis was stored (and queued for CRM sync). */
  'call.analyzed': CallAnalysis,
} as const;
