import { describe, expect, it } from 'vitest';
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
  it('says a whisper as its next line, then carries on with the script', async () => {
    const agent = new ScriptedFlowAgent(brief);
    await text(agent.opening());
    agent.guide('We can also offer a free car wash.');
    expect(await text(agent.respond('Yes please'))).toBe('We can also offer a free car wash. Got it. Which weekday suits you best?');
    expect(await text(agent.respond('Tuesday'))).not.toContain('car wash');
  });

  it('picks the call up with the question that was waiting', async () => {
    const agent = new ScriptedFlowAgent(brief);
    await text(agent.opening());
    expect(await text(agent.resume('anything'))).toBe('Thank you for holding. Would you like to book your spring service?');
  });
});
