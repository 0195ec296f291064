import { describe, expect, it } from 'vitest';
import type { LanguageModel, LlmChunk, LlmConversation } from '../../../electron/engine/ports/llm';
import { LlmAgent } from '../../../electron/engine/voice/agents/llm-agent';
import type { AgentOutput, CallBrief } from '../../../electron/engine/voice/agents/types';
import { withSlots } from '../../../electron/engine/voice/runtime';

const brief: CallBrief = { campaignName: 'Northside Auto', agentPrompt: 'You are Sam.', questions: ['Which weekday suits you best?'], disclosure: false, contact: { name: 'Jo Smith' } };
const options = { firstTokenTimeoutMs: 40, replyTimeoutMs: 1_000, maxConsecutiveFailures: 3 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function text(outputs: AsyncIterable<AgentOutput>): Promise<string> {
  let all = '';
  for await (const o of outputs) if (o.type === 'text') all += o.text;
  return all.trim();
}

/** A model whose conversations take `startMs` to start; counts starts and disposals. */
function slowModel(startMs: number) {
  const counts = { started: 0, disposed: 0 };
  const model: LanguageModel = {
    name: 'slow',
    capabilities: { toolCalls: true, jsonSchema: true, gpu: false },
    startConversation: async () => {
      await sleep(startMs);
      counts.started++;
      const conversation: LlmConversation = {
        async *reply(): AsyncIterable<LlmChunk> {
          yield { type: 'text', text: 'Okay.' };
        },
        amendLastReply: () => undefined,
        dispose: async () => void counts.disposed++,
      };
      return conversation;
    },
    completeJson: async () => ({}),
    dispose: async () => undefined,
  };
  return { model, counts };
}

describe('language-model conversations always end', () => {
  it('disposes a conversation that starts after the first-token wait, once the call is over', async () => {
    const { model, counts } = slowModel(150);
    const agent = new LlmAgent(model, brief, options);
    // The model is too slow: the caller hears the scripted line instead.
    expect(await text(agent.opening(new AbortController().signal))).toContain('Which weekday suits you best?');
    await agent.dispose();
    await sleep(250);
    expect(counts).toEqual({ started: 1, disposed: 1 });
  });

  it('uses the late conversation on the next turn instead of starting a second one', async () => {
    const { model, counts } = slowModel(100);
    const agent = new LlmAgent(model, brief, options);
    await text(agent.opening(new AbortController().signal));
    await sleep(150);
    expect(await text(agent.respond('Tuesday', new AbortController().signal))).toBe('Okay.');
    await agent.dispose();
    expect(counts).toEqual({ started: 1, disposed: 1 });
  });
});

describe('local model slots', () => {
  it('follow the number of lines that can run unless the config sets them', () => {
    expect(withSlots({ kind: 'llama-cpp', modelPath: '/m.gguf' }, 12)).toEqual({ kind: 'llama-cpp', modelPath: '/m.gguf', maxConversations: 12 });
    expect(withSlots({ kind: 'llama-cpp', modelPath: '/m.gguf', maxConversations: 3 }, 12)).toMatchObject({ maxConversations: 3 });
    expect(withSlots({ kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', model: 'x' }, 12)).not.toHaveProperty('maxConversations');
  });
});
