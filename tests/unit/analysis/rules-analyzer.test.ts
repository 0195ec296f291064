import { describe, expect, it } from 'vitest';
import { CallAnalysis } from '../../../electron/contracts';
import { analyzeByRules, answerQuestions, qualificationOf } from '../../../electron/engine/analysis/rules-analyzer';
import { BOOKED_CALL, callRecord, QUESTIONS } from './call-fixtures';

describe('rule-based post-call analysis', () => {
  it('fills every field for a booked call from the scripted flow', () => {
    const draft = analyzeByRules(callRecord(BOOKED_CALL, { questions: QUESTIONS }));
    expect(draft.outcome).toBe('converted');
    expect(draft.answers.map((a) => a.answer)).toEqual([
      "Yes, that sounds great. I'm the owner of the car so it's my decision, and my budget is about $300.",
      'Tuesday would be perfect, next week if possible.',
      'Morning please. Go ahead and book it.',
    ]);
    expect(draft.leadScore).toMatchObject({
      interest: 'high',
      budget: { status: 'confirmed', detail: expect.stringContaining('$300') },
      timeline: { horizon: 'weeks', detail: 'next week' },
      decisionMaker: 'yes',
    });
    expect(draft.leadScore.qualification).toBeGreaterThanOrEqual(0.8);
    expect(draft.nextAction.kind).toBe('book_meeting');
    expect(draft.csat).toBeGreaterThan(3.5);
    expect(draft.summary).toMatch(/Dana Smith agreed to go ahead/);
    expect(draft.summary).toMatch(/Answered 3 of 3 questions/);
    // The whole analysis is valid against the contract once ids are attached.
    const full = { callId: 'c', campaignId: null, contactId: null, ...draft, method: 'rules', model: null, createdAt: new Date(0).toISOString() };
    expect(() => CallAnalysis.parse(full)).not.toThrow();
  });

  it.each([
    [[['agent', 'Hi, calling about your service.'], ['caller', 'Please stop calling me and take me off your list.']], 'dnc_request', 'remove_from_list'],
    [[['agent', 'Is this Dana?'], ['caller', "No, you have the wrong number, nobody by that name lives here."]], 'wrong_number', 'remove_from_list'],
    [[['agent', 'Hello!'], ['caller', "I'm driving right now, can you call me back tomorrow?"]], 'callback', 'call_back'],
    [[['agent', 'Would you like a demo?'], ['caller', "No thanks, I'm not interested."]], 'not_interested', 'none'],
    [[['agent', 'Would you like a demo?'], ['caller', 'Maybe, tell me more and send me the details by email.']], 'interested', 'send_info'],
    [[['agent', 'Hello?'], ['caller', 'Hi, you have reached Dana, please leave a message after the tone.']], 'voicemail', 'retry_later'],
    [[['agent', 'Would you like to book?'], ['caller', "I don't want to book it, no."]], 'not_interested', 'none'],
  ] as const)('reads %j as %s', (lines, outcome, action) => {
    const draft = analyzeByRules(callRecord(lines.map(([s, t]) => [s, t])));
    expect(draft.outcome).toBe(outcome);
    expect(draft.nextAction.kind).toBe(action);
  });

  it('handles calls nobody answered and says when the carrier reached voicemail', () => {
    expect(analyzeByRules(callRecord([], { dialOutcome: 'no-answer' })).outcome).toBe('no_answer');
    const voicemail = analyzeByRules(callRecord([['agent', 'Hi, this is Sam from Northside Auto.']], { dialOutcome: 'voicemail' }));
    expect(voicemail.outcome).toBe('voicemail');
    expect(voicemail.leadScore.qualification).toBe(0);
    expect(voicemail.csat).toBe(3);
  });

  it('routes a frustrated caller to a human and lowers satisfaction', () => {
    const emotions = [0, 1].map((seq) => ({
      callId: 'call-1',
      seq,
      at: new Date(0).toISOString(),
      label: 'frustrated' as const,
      confidence: 0.8,
      valence: -0.7,
      arousal: 0.9,
      text: { label: 'frustrated' as const, confidence: 0.8, valence: -0.7, arousal: 0.8, source: 'lexicon' as const },
      voice: null,
      smoothed: { label: 'frustrated' as const, valence: -0.7, arousal: 0.9, frustration: 0.8 },
    }));
    const draft = analyzeByRules(callRecord([['agent', 'About your bill...'], ['caller', 'This is ridiculous, I have been charged twice!']], { emotions }));
    expect(draft.dominantEmotion).toBe('frustrated');
    expect(draft.nextAction.kind).toBe('hand_to_human');
    expect(draft.csat).toBeLessThan(2.5);
  });

  it('matches reworded questions and leaves unanswered ones empty', () => {
    const answers = answerQuestions(QUESTIONS, callRecord([
      ['agent', 'So, which weekday would suit you best?'],
      ['caller', 'Friday.'],
      ['agent', 'And would you like to book your spring service with us?'],
    ]).transcript);
    expect(answers).toEqual([
      { question: QUESTIONS[0], answer: null },
      { question: QUESTIONS[1], answer: 'Friday.' },
      { question: QUESTIONS[2], answer: null },
    ]);
  });

  it('weights the lead-score parts', () => {
    const base = { interest: 'high', budget: { status: 'confirmed', detail: null }, timeline: { horizon: 'now', detail: null }, decisionMaker: 'yes' } as const;
    expect(qualificationOf(base)).toBe(1);
    expect(qualificationOf({ ...base, interest: 'none', budget: { status: 'none', detail: null } })).toBe(0.4);
  });
});
