import { describe, expect, it } from 'vitest';
import type { LanguageModel, LlmChunk, LlmConversation } from '../../../electron/engine/ports/llm';
import { LlmAgent } from '../../../electron/engine/voice/agents/llm-agent';
import { ScriptedFlowAgent } from '../../../electron/engine/voice/agents/scripted-agent';
import type { AgentAction, AgentOutput, CallBrief } from '../../../electron/engine/voice/agents/types';

const brief: CallBrief = {
  campaignName: 'Northside Auto',
  companyName: 'Northside Auto',
  agentPrompt: 'You are Sam from Northside Auto.',
  questions: ['Would you like to book your spring service?', 'Which weekday suits you best?'],
  contact: { name: 'Jo Smith' },
  askRecordingConsent: true,
};

async function collect(outputs: AsyncIterable<AgentOutput>): Promise<{ text: string; actions: AgentAction[] }> {
  let text = '';
  const actions: AgentAction[] = [];
  for await (const o of outputs) {
    if (o.type === 'text') text += o.text;
    else actions.push(o.action);
  }
  return { text: text.trim(), actions };
}

/** A model that says one fixed line per turn and records what it was told. */
class OneLineModel implements LanguageModel {
  readonly name = 'fake-llm';
  readonly capabilities = { toolCalls: true, jsonSchema: true, gpu: false };
  turns: Array<{ user?: string; guidance?: string }> = [];
  async startConversation(): Promise<LlmConversation> {
    return {
      reply: (turn) => {
        this.turns.push(turn);
        return (async function* (): AsyncIterable<LlmChunk> {
          yield { type: 'text', text: 'Which weekday suits you?' };
        })();
      },
      amendLastReply: () => undefined,
      dispose: async () => undefined,
    };
  }
  async completeJson(): Promise<unknown> {
    return {};
  }
  async dispose(): Promise<void> {}
}

const signal = () => new AbortController().signal;

describe('recording consent in the agents', () => {
  it('the scripted agent asks after the disclosure, decides by plain rules and says when it will not record', async () => {
    const agent = new ScriptedFlowAgent(brief);
    expect((await collect(agent.opening())).text).toMatch(/This is an automated call.*Is it OK if this call is recorded\?$/);
    const no = await collect(agent.respond("No, please don't record this."));
    expect(no.actions).toEqual([{ type: 'recording-consent', granted: false, answer: 'no' }]);
    expect(no.text).toBe('No problem: this call will not be recorded. Would you like to book your spring service?');

    const other = new ScriptedFlowAgent(brief);
    await collect(other.opening());
    expect((await collect(other.respond('Pardon?'))).text).toBe('Sure. Is it OK if this call is recorded?');
    const yes = await collect(other.respond('Yes, sure.'));
    expect(yes.actions).toEqual([{ type: 'recording-consent', granted: true, answer: 'yes' }]);
    expect(yes.text).toBe('Thank you. Would you like to book your spring service?');

    const unclear = new ScriptedFlowAgent(brief);
    await collect(unclear.opening());
    expect((await collect(unclear.respond('Who is this?'))).actions).toEqual([{ type: 'recording-consent', granted: false, answer: 'unclear' }]);

    const stop = new ScriptedFlowAgent(brief);
    await collect(stop.opening());
    expect((await collect(stop.respond('Stop calling me.'))).actions.map((a) => a.type)).toEqual(['recording-consent', 'mark-dnc', 'end-call']);
  });

  it('the LLM agent takes the consent step word for word from the script, then the model goes on knowing it', async () => {
    const model = new OneLineModel();
    const agent = new LlmAgent(model, brief, { firstTokenTimeoutMs: 500, replyTimeoutMs: 1_000, maxConsecutiveFailures: 2 });
    expect((await collect(agent.opening(signal()))).text).toMatch(/Is it OK if this call is recorded\?$/);
    const answer = await collect(agent.respond('Nope.', signal()));
    expect(answer.actions).toEqual([{ type: 'recording-consent', granted: false, answer: 'no' }]);
    expect(answer.text).toContain('this call will not be recorded');
    expect(model.turns).toEqual([]);
    expect((await collect(agent.respond('Yes, book it.', signal()))).text).toBe('Which weekday suits you?');
    expect(model.turns[0]!.guidance).toContain('this call will not be recorded');
  });
});
