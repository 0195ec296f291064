import { describe, expect, it } from 'vitest';
import { DISCLOSURE_LINE } from '../../../electron/contracts';
import type { LanguageModel, LlmChunk, LlmConversation } from '../../../electron/engine/ports/llm';
import { LlmAgent } from '../../../electron/engine/voice/agents/llm-agent';
import { ScriptedFlowAgent } from '../../../electron/engine/voice/agents/scripted-agent';
import type { AgentOutput, CallBrief } from '../../../electron/engine/voice/agents/types';

const brief: CallBrief = {
  campaignName: 'Northside Auto',
  agentPrompt: 'You are Sam from Northside Auto.',
  questions: ['Would you like to book your spring service?', 'Which weekday suits you best?'],
  contact: { name: 'Jo Smith' },
};
const signal = () => new AbortController().signal;

async function text(outputs: AsyncIterable<AgentOutput>): Promise<string> {
  let all = '';
  for await (const o of outputs) if (o.type === 'text') all += o.text;
  return all.trim();
}

/** A model that records what each turn asked of it and answers "Okay." */
function recordingModel() {
  const turns: Array<{ user?: string; guidance?: string }> = [];
  const conversation: LlmConversation = {
    async *reply(turn): AsyncIterable<LlmChunk> {
      turns.push(turn);
      yield { type: 'text', text: 'Okay.' };
    },
    amendLastReply: () => undefined,
    dispose: async () => undefined,
  };
  const model: LanguageModel = {
    name: 'recording',
    capabilities: { toolCalls: true, jsonSchema: true, gpu: false },
    startConversation: async () => conversation,
    completeJson: async () => ({}),
    dispose: async () => undefined,
  };
  return { model, turns };
}

describe('whisper and hand back, language model agent', () => {
  // The model words the opening only on a campaign without the disclosure (with it, the script does).
  const llmBrief: CallBrief = { ...brief, disclosure: false };

  it('puts a whisper into the next reply only, as guidance the caller does not hear', async () => {
    const { model, turns } = recordingModel();
    const agent = new LlmAgent(model, llmBrief);
    await text(agent.opening(signal()));
    agent.guide('Offer the Tuesday 9am slot first.');
    expect(await text(agent.respond('Yes, book it', signal()))).toBe('Okay.');
    await text(agent.respond('Tuesday', signal()));
    expect(turns[1]).toEqual({ user: 'Yes, book it', guidance: 'A supervisor whispers (the caller cannot hear this): Offer the Tuesday 9am slot first.' });
    expect(turns[2]).toEqual({ user: 'Tuesday' });
  });

  it('resumes after a takeover knowing what was said meanwhile', async () => {
    const { model, turns } = recordingModel();
    const agent = new LlmAgent(model, llmBrief);
    await text(agent.opening(signal()));
    agent.guide('Keep it short.');
    expect(await text(agent.resume('Dana Reyes had the call for 40 s. The caller said "Thursday works".', signal()))).toBe('Okay.');
    const guidance = turns[1]!.guidance!;
    expect(turns[1]!.user).toBeUndefined();
    expect(guidance).toContain('Keep it short.');
    expect(guidance).toContain('The caller said "Thursday works"');
    expect(guidance).toContain('next unanswered question');
  });
});

describe('whisper and hand back, scripted agent', () => {
  const three: CallBrief = { ...brief, questions: [...brief.questions, 'Morning or afternoon?'] };

  it('refuses free text: a whisper is never said to the caller', async () => {
    const agent = new ScriptedFlowAgent(brief);
    await text(agent.opening());
    const outcome = agent.guide('We can also offer a free car wash.');
    expect(outcome.accepted).toBe(false);
    expect(outcome.detail).toContain('never says a whisper');
    const said = await text(agent.respond('Yes please'));
    expect(said).toBe('Got it. Which weekday suits you best?');
    expect(said).not.toContain('car wash');
  });

  it('skips to the question a whisper names', async () => {
    const agent = new ScriptedFlowAgent(three);
    await text(agent.opening());
    expect(agent.guide('Ask them about morning or afternoon')).toEqual({ accepted: true, detail: 'The scripted agent will ask question 3 next: "Morning or afternoon?"' });
    expect(await text(agent.respond('Yes please'))).toBe('Thank you. Morning or afternoon?');
  });

  it('moves on, offers a callback (a yes books it) or closes, in its own words', async () => {
    const next = new ScriptedFlowAgent(three);
    await text(next.opening());
    expect(next.guide('next question').accepted).toBe(true);
    expect(await text(next.respond('Hmm, not sure'))).toBe('Thank you. Which weekday suits you best?');

    const offer = new ScriptedFlowAgent(three);
    await text(offer.opening());
    expect(offer.guide('Offer them a callback').accepted).toBe(true);
    expect(await text(offer.respond('I am a bit busy'))).toContain('we can call you back whenever suits you');
    const booked: AgentOutput[] = [];
    for await (const o of offer.respond('Yes, tomorrow at 10 please')) booked.push(o);
    expect(booked).toContainEqual({ type: 'action', action: { type: 'schedule-callback', when: 'tomorrow at 10', note: 'Yes, tomorrow at 10 please' } });
    expect(booked).toContainEqual({ type: 'action', action: { type: 'end-call', reason: 'callback' } });

    const close = new ScriptedFlowAgent(three);
    await text(close.opening());
    expect(close.guide('Please wrap it up').accepted).toBe(true);
    const closing: AgentOutput[] = [];
    for await (const o of close.respond('Yes')) closing.push(o);
    expect(closing).toContainEqual({ type: 'action', action: { type: 'end-call', reason: 'completed' } });
    expect(closing.filter((o) => o.type === 'text').map((o) => (o as { text: string }).text).join('')).not.toMatch(/wrap/i);
  });

  it('reads only clear moves: anything else is refused', () => {
    const agent = new ScriptedFlowAgent(three);
    for (const text of ['Ask about the end date', 'Offer the Tuesday 9am slot first.', 'Tell them about the discount']) expect(agent.guide(text).accepted, text).toBe(false);
    for (const text of ['End the call', 'wrap things up', 'Skip this question', 'Ask if they want a callback']) expect(agent.guide(text).accepted, text).toBe(true);
  });

  it('lets the caller’s own requests win over a pending move', async () => {
    const agent = new ScriptedFlowAgent(three);
    await text(agent.opening());
    agent.guide('next question');
    const out: AgentOutput[] = [];
    for await (const o of agent.respond('Please take me off your list and do not call me again.')) out.push(o);
    expect(out).toContainEqual({ type: 'action', action: { type: 'mark-dnc', reason: 'caller asked' } });
  });

  it('picks the call up with the question that was waiting', async () => {
    const agent = new ScriptedFlowAgent(brief);
    agent.heard(await text(agent.opening()), false);
    expect(agent.disclosureOwed).toBeNull();
    expect(await text(agent.resume('anything'))).toBe('Thank you for holding. Would you like to book your spring service?');
  });

  it('says a disclosure cut short by a takeover again on hand back, whole, before anything else', async () => {
    const agent = new ScriptedFlowAgent(brief);
    await text(agent.opening());
    // A person takes over while the opening plays: the disclosure is owed from that moment.
    expect(agent.disclosureOwed).toBe(DISCLOSURE_LINE);
    agent.heard('Hello Jo. This is an automated call. It may', true);
    const back = await text(agent.resume('Dana Reyes had the call for 20 s.'));
    expect(back).toBe(`Thank you for holding. ${DISCLOSURE_LINE} Would you like to book your spring service?`);
    agent.heard(back, false);
    expect(agent.disclosureOwed).toBeNull();
  });

  it('starts its next reply with the disclosure when the caller talked over it', async () => {
    const agent = new ScriptedFlowAgent(brief);
    await text(agent.opening());
    agent.heard('Hello Jo. This is an automated', true);
    expect(await text(agent.respond("Who is this?"))).toBe(`${DISCLOSURE_LINE} Sorry, go ahead. Would you like to book your spring service?`);
  });
});
