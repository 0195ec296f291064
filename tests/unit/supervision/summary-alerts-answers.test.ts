import { describe, expect, it } from 'vitest';
import { CallAlerts, isAbusive } from '../../../electron/engine/supervision/alerts';
import { extractiveSummary, summarizeStretch, type SupervisedStretch } from '../../../electron/engine/supervision/hand-back-summary';
import { QuestionTracker } from '../../../electron/engine/supervision/question-answers';
import type { LanguageModel } from '../../../electron/engine/ports/llm';

const stretch: SupervisedStretch = {
  supervisor: 'Dana Reyes',
  mode: 'takeover',
  startedAt: 0,
  endedAt: 42_000,
  lines: [
    { speaker: 'supervisor', text: null, durationMs: 6_000 },
    { speaker: 'caller', text: 'Thursday morning works, but only before ten.', durationMs: 2_500 },
  ],
};

function model(answer: () => Promise<unknown>): LanguageModel & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    name: 'fake',
    capabilities: { toolCalls: true, jsonSchema: true, gpu: false },
    prompts,
    startConversation: async () => {
      throw new Error('not used');
    },
    completeJson: async (prompt) => {
      prompts.push(prompt);
      return answer();
    },
    dispose: async () => undefined,
  };
}

describe('hand-back summary', () => {
  it('quotes the caller and says how long the supervisor spoke when nothing transcribed them', () => {
    expect(extractiveSummary(stretch)).toBe('Dana Reyes had the call for 42 s. Dana Reyes spoke for 6 s. The caller said "Thursday morning works, but only before ten.".');
    expect(extractiveSummary({ ...stretch, lines: [] })).toBe('Dana Reyes had the call for 42 s; nothing was said meanwhile.');
  });

  it('asks the language model when there is one, and falls back to the words when it fails or is slow', async () => {
    const good = model(async () => ({ summary: 'The caller can do Thursday before ten.' }));
    expect(await summarizeStretch(stretch, good)).toEqual({ summary: 'The caller can do Thursday before ten.', by: 'llm' });
    expect(good.prompts[0]).toContain('caller: Thursday morning works');
    expect(await summarizeStretch(stretch, model(async () => Promise.reject(new Error('boom'))))).toEqual({ summary: extractiveSummary(stretch), by: 'transcript' });
    expect(await summarizeStretch(stretch, model(async () => ({ summary: '  ' })))).toMatchObject({ by: 'transcript' });
    const slow = model(() => new Promise(() => undefined));
    expect(await summarizeStretch(stretch, slow, 50)).toMatchObject({ by: 'transcript' });
  });
});

describe('call alerts', () => {
  it('raises frustration after N negative turns in a row, once until dismissed', () => {
    const alerts = new CallAlerts({ negativeTurns: 2, longSilenceMs: 10_000 });
    expect(alerts.onEmotion({ label: 'frustrated', valence: -0.6 }, 1)).toBeUndefined();
    expect(alerts.onEmotion({ label: 'neutral', valence: 0.1 }, 2)).toBeUndefined();
    expect(alerts.onEmotion({ label: 'sad', valence: -0.4 }, 3)).toBeUndefined();
    const raised = alerts.onEmotion({ label: 'frustrated', valence: -0.7 }, 4)!;
    expect(raised).toMatchObject({ kind: 'frustration', message: 'The caller has sounded frustrated for 2 turns' });
    expect(alerts.onEmotion({ label: 'frustrated', valence: -0.7 }, 5)).toBeUndefined();
    expect(alerts.dismiss(raised.id)).toEqual(raised);
    expect(alerts.onEmotion({ label: 'anxious', valence: -0.2 }, 6)?.kind).toBe('frustration');
    expect(alerts.dismiss('nope')).toBeUndefined();
  });

  it('raises long silence once per silent stretch', () => {
    const alerts = new CallAlerts({ negativeTurns: 2, longSilenceMs: 10_000 });
    expect(alerts.checkSilence(0, 9_999)).toBeUndefined();
    expect(alerts.checkSilence(0, 10_000)?.message).toBe('Nobody has spoken for 10 s');
    const id = alerts.list[0]!.id;
    alerts.dismiss(id);
    expect(alerts.checkSilence(0, 20_000)).toBeUndefined();
    alerts.onActivity();
    expect(alerts.checkSilence(20_000, 31_000)?.kind).toBe('long-silence');
  });
});

describe('alerts from what the caller says', () => {
  it('raises "asked not to be called" and "abusive language" from the caller’s words, not from ordinary answers', () => {
    const alerts = new CallAlerts();
    expect(alerts.onCallerWords('Tuesday works best for me.', 1)).toEqual([]);
    expect(alerts.onCallerWords('This is ridiculous, I hate these calls!', 2)).toEqual([]);
    const [dnc] = alerts.onCallerWords('Please take me off your list and do not call me again.', 3);
    expect(dnc).toMatchObject({ kind: 'do-not-call', message: 'The caller asked not to be called again: "Please take me off your list and do not call me again."' });
    const [abuse] = alerts.onCallerWords('Shut up, you stupid machine.', 4);
    expect(abuse).toMatchObject({ kind: 'abusive' });
    expect(isAbusive('You are an idiot')).toBe(true);
    expect(isAbusive('I was an idiot to forget the appointment, sorry')).toBe(false);
    // Raised once while showing.
    expect(alerts.onCallerWords('Shut up!', 5)).toEqual([]);
    expect(alerts.list.map((a) => a.kind)).toEqual(['abusive', 'do-not-call']);
  });
});

describe('answers gathered on the call', () => {
  it('updates an answer when the caller went on and the same turn comes again, longer', () => {
    const tracker = new QuestionTracker(['Which weekday suits you best?', 'Morning or afternoon?']);
    tracker.onTurn('agent', 'Which weekday suits you best?', 1);
    expect(tracker.onTurn('caller', 'Tuesday,', 2)).toBe(true);
    expect(tracker.onTurn('caller', 'Tuesday, or maybe Wednesday.', 2)).toBe(true);
    expect(tracker.list).toEqual([{ question: 'Which weekday suits you best?', answer: 'Tuesday, or maybe Wednesday.' }]);
  });

  it('takes the caller turn after a question as its answer, with placeholders matching any words', () => {
    const tracker = new QuestionTracker(['Would you like to book your spring service, {firstName}?', 'Which weekday suits you best?']);
    expect(tracker.onTurn('agent', "Hello Jo, I'm calling on behalf of Northside Auto. Would you like to book your spring service, Jo?")).toBe(false);
    expect(tracker.onTurn('caller', 'Yes please.')).toBe(true);
    expect(tracker.onTurn('caller', 'Also, is it expensive?')).toBe(false);
    tracker.onTurn('agent', 'Got it. Which weekday suits you best?');
    tracker.onTurn('caller', 'Tuesday.');
    expect(tracker.list).toEqual([
      { question: 'Would you like to book your spring service, {firstName}?', answer: 'Yes please.' },
      { question: 'Which weekday suits you best?', answer: 'Tuesday.' },
    ]);
  });
});
