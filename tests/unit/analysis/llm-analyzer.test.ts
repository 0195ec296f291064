import { describe, expect, it } from 'vitest';
import { analysisJsonSchema, analysisPrompt, analyzeWithLlm } from '../../../electron/engine/analysis/llm-analyzer';
import type { LanguageModel } from '../../../electron/engine/ports/llm';
import { BOOKED_CALL, callRecord, QUESTIONS } from './call-fixtures';

/** Test double of the LanguageModel port: returns a canned completeJson answer and records the call. */
function modelAnswering(answer: unknown): LanguageModel & { calls: Array<{ prompt: string; schema: Record<string, unknown> }> } {
  const calls: Array<{ prompt: string; schema: Record<string, unknown> }> = [];
  return {
    name: 'double',
    capabilities: { toolCalls: false, jsonSchema: true, gpu: false },
    calls,
    startConversation: () => Promise.reject(new Error('not used')),
    completeJson: async (prompt, schema) => {
      calls.push({ prompt, schema });
      return answer;
    },
    dispose: async () => undefined,
  };
}

const GOOD = {
  summary: ' Dana booked a spring service for Tuesday morning. ',
  outcome: 'converted',
  answers: ['Yes', 'Tuesday', null],
  interest: 'high',
  budgetStatus: 'confirmed',
  budgetDetail: 'about $300',
  timelineHorizon: 'weeks',
  timelineDetail: 'next week',
  decisionMaker: 'yes',
  qualification: 1.7,
  csat: 5,
  nextAction: 'book_meeting',
  nextActionDetail: 'Send the confirmation',
};

describe('LLM post-call analysis', () => {
  it('sends the transcript and questions with a schema that has one answer slot per question', async () => {
    const model = modelAnswering(GOOD);
    const draft = await analyzeWithLlm(model, callRecord(BOOKED_CALL, { questions: QUESTIONS }));
    const { prompt, schema } = model.calls[0]!;
    expect(prompt).toContain('Caller: Tuesday would be perfect');
    expect(prompt).toContain('3. Morning or afternoon?');
    const answers = (schema.properties as Record<string, { minItems: number; maxItems: number }>).answers!;
    expect([answers.minItems, answers.maxItems]).toEqual([3, 3]);
    expect(draft).toMatchObject({
      summary: 'Dana booked a spring service for Tuesday morning.',
      outcome: 'converted',
      answers: [
        { question: QUESTIONS[0], answer: 'Yes' },
        { question: QUESTIONS[1], answer: 'Tuesday' },
        { question: QUESTIONS[2], answer: null },
      ],
      leadScore: { qualification: 1, interest: 'high', budget: { status: 'confirmed', detail: 'about $300' }, decisionMaker: 'yes' },
      csat: 5,
      nextAction: { kind: 'book_meeting', detail: 'Send the confirmation' },
    });
  });

  it('rejects an answer outside the schema so the caller can fall back to the rules', async () => {
    const record = callRecord(BOOKED_CALL, { questions: QUESTIONS });
    await expect(analyzeWithLlm(modelAnswering({ ...GOOD, outcome: 'delighted' }), record)).rejects.toThrow();
    await expect(analyzeWithLlm(modelAnswering({ ...GOOD, answers: ['Yes'] }), record)).rejects.toThrow(/answered 1 of 3/);
  });

  it('keeps long calls inside the prompt budget, newest lines kept', () => {
    const lines = Array.from({ length: 400 }, (_, i) => ['caller', `line ${i} with some words to fill the transcript`] as ['caller', string]);
    const prompt = analysisPrompt(callRecord(lines));
    expect(prompt.length).toBeLessThan(7_000);
    expect(prompt).toContain('line 399');
    expect(prompt).toContain('[earlier part omitted]');
    expect(analysisJsonSchema(0).required).toContain('summary');
  });
});
