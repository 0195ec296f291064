import { z } from 'zod';
import { CallOutcome, DecisionMaker, InterestLevel, LeadScore, NextAction } from '../../contracts';
import type { LanguageModel } from '../ports/llm';
import type { CallRecord } from './call-record';
import { qualificationOf, type AnalysisDraft } from './rules-analyzer';

const nullableText = (maxLength: number) => ({ oneOf: [{ type: 'string', maxLength }, { type: 'null' }] });

/**
 * The JSON schema the model must fill. Flat and enum-heavy so small local models manage it; every
 * string is bounded (tightly: grammar-constrained decoding on a CPU runs at tens of tokens per
 * second, and a weak model fills strings to the limit) so the output always ends. Ranges live in
 * descriptions because grammar-constrained decoding does not enforce minimum/maximum.
 */
export function analysisJsonSchema(questionCount: number): Record<string, unknown> {
  const properties = {
    summary: { type: 'string', maxLength: 400, description: 'Two or three sentences: what happened and what was agreed.' },
    outcome: { enum: CallOutcome.options },
    answers: {
      type: 'array',
      items: nullableText(160),
      minItems: questionCount,
      maxItems: questionCount,
      description: "The caller's answer to each campaign question, in order; null if not answered.",
    },
    interest: { enum: InterestLevel.options },
    budgetStatus: { enum: LeadScore.shape.budget.shape.status.options },
    budgetDetail: nullableText(80),
    timelineHorizon: { enum: LeadScore.shape.timeline.shape.horizon.options },
    timelineDetail: nullableText(80),
    decisionMaker: { enum: DecisionMaker.options },
    qualification: { type: 'number', description: 'Lead qualification, 0 (none) .. 1 (ready to buy).' },
    csat: { enum: [1, 2, 3, 4, 5], description: 'Estimated customer satisfaction.' },
    nextAction: { enum: NextAction.shape.kind.options },
    nextActionDetail: { type: 'string', maxLength: 160 },
  };
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

const LlmAnalysisOutput = z.object({
  summary: z.string(),
  outcome: CallOutcome,
  answers: z.array(z.string().nullable()),
  interest: InterestLevel,
  budgetStatus: LeadScore.shape.budget.shape.status,
  budgetDetail: z.string().nullable(),
  timelineHorizon: LeadScore.shape.timeline.shape.horizon,
  timelineDetail: z.string().nullable(),
  decisionMaker: DecisionMaker,
  qualification: z.number(),
  csat: z.number(),
  nextAction: NextAction.shape.kind,
  nextActionDetail: z.string(),
});

/** Keeps the prompt inside a small model's context: the end of a long call matters most. */
const MAX_TRANSCRIPT_CHARS = 6_000;

export function analysisPrompt(record: CallRecord): string {
  let transcript = record.transcript.map((t) => `${t.speaker === 'agent' ? 'Agent' : 'Caller'}: ${t.text}`).join('\n');
  if (transcript.length > MAX_TRANSCRIPT_CHARS) transcript = `[earlier part omitted]\n${transcript.slice(-MAX_TRANSCRIPT_CHARS)}`;
  const questions = record.questions.length ? record.questions.map((q, i) => `${i + 1}. ${q}`).join('\n') : '(none)';
  return [
    'You analyse a finished phone call made by an AI agent for a company. Answer only with JSON that fits the schema.',
    `Campaign: ${record.campaignName ?? 'unknown'}`,
    `Campaign questions, answer each from what the caller said (null when not answered):\n${questions}`,
    `Carrier result: ${record.dialOutcome ?? 'unknown'}`,
    'Transcript:',
    transcript || '(nobody spoke)',
  ].join('\n');
}

/**
 * Post-call analysis by a language model with JSON-schema output, validated before use; the caller
 * falls back to the rule-based analysis when this throws.
 */
export async function analyzeWithLlm(model: LanguageModel, record: CallRecord, signal?: AbortSignal): Promise<AnalysisDraft> {
  const raw = await model.completeJson(analysisPrompt(record), analysisJsonSchema(record.questions.length), { signal, maxTokens: 1_500 });
  const out = LlmAnalysisOutput.parse(raw);
  if (out.answers.length !== record.questions.length) {
    throw new Error(`The model answered ${out.answers.length} of ${record.questions.length} questions`);
  }
  const lead = {
    interest: out.interest,
    budget: { status: out.budgetStatus, detail: out.budgetDetail?.trim() || null },
    timeline: { horizon: out.timelineHorizon, detail: out.timelineDetail?.trim() || null },
    decisionMaker: out.decisionMaker,
  };
  const qualification = Number.isFinite(out.qualification) ? Math.min(1, Math.max(0, out.qualification)) : qualificationOf(lead);
  const emotions = record.emotions.map((e) => e.label);
  return {
    summary: out.summary.trim() || '(no summary)',
    outcome: out.outcome,
    answers: record.questions.map((question, i) => ({ question, answer: out.answers[i]?.trim() || null })),
    leadScore: { qualification: Math.round(qualification * 100) / 100, ...lead },
    csat: Math.min(5, Math.max(1, Math.round(out.csat))),
    nextAction: { kind: out.nextAction, detail: out.nextActionDetail.trim() },
    dominantEmotion: emotions.length ? mostFrequent(emotions) : null,
  };
}

/** The most frequent value; ties go to the one seen last (the call's end matters most). */
function mostFrequent<T extends string>(values: T[]): T {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestCount = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n >= bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best!;
}
