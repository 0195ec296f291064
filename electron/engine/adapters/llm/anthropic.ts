import { ParleyError } from '../../../contracts';
import type { Logger } from '../../logging';
import type { LanguageModel, LlmChunk, LlmConversation, ToolSpec } from '../../ports/llm';
import { HttpCall, joinUrl, type RequestGuard } from '../http/http-call';
import { turnText } from './turn-text';

export interface AnthropicConfig {
  /** The office's provider row (`providers.id`) this engine serves, for costs and health. */
  providerId?: string;
  /** The provider's breaker: skips a provider that is down, retries once, honours 429s. */
  guard?: RequestGuard;
  apiKey: string;
  /** e.g. "claude-sonnet-4-5"; the model manager offers the list. */
  model: string;
  baseUrl?: string;
  /** Until the response headers arrive. */
  timeoutMs?: number;
  /** Between streamed events. */
  idleTimeoutMs?: number;
  maxReplyTokens?: number;
  temperature?: number;
  logger?: Logger;
}

const API_VERSION = '2023-06-01';
const SERVICE = 'Anthropic';

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string };

interface Message {
  role: 'user' | 'assistant';
  content: Block[];
}

type StreamEvent =
  | { type: 'content_block_start'; index: number; content_block: { type: string; id?: string; name?: string; text?: string } }
  | { type: 'content_block_delta'; index: number; delta: { type: 'text_delta'; text: string } | { type: 'input_json_delta'; partial_json: string } }
  | { type: 'error'; error?: { type?: string; message?: string } }
  | { type: 'message_start'; message?: { usage?: { input_tokens?: number; output_tokens?: number } } }
  | { type: 'message_delta'; usage?: { output_tokens?: number } }
  | { type: 'message_stop' | 'content_block_stop' | 'ping' };

function parseEvent(data: string): StreamEvent {
  try {
    return JSON.parse(data) as StreamEvent;
  } catch {
    throw new ParleyError('unavailable', `${SERVICE} sent a malformed stream event`);
  }
}

/** Claude through the Messages API over fetch, streamed with SSE; tools as `tool_use` blocks. */
export async function createAnthropicLanguageModel(config: AnthropicConfig): Promise<LanguageModel> {
  if (!config.apiKey) throw new ParleyError('unavailable', 'No Anthropic API key is configured');
  if (!config.model) throw new ParleyError('invalid_payload', 'No Anthropic model is configured');
  const url = joinUrl(config.baseUrl ?? 'https://api.anthropic.com', 'v1/messages');
  const headers = { 'content-type': 'application/json', 'x-api-key': config.apiKey, 'anthropic-version': API_VERSION };
  const timeoutMs = config.timeoutMs ?? 15_000;
  const idleTimeoutMs = config.idleTimeoutMs ?? 15_000;
  const maxTokens = config.maxReplyTokens ?? 300;
  const temperature = config.temperature ?? 0.7;
  let disposed = false;

  const startConversation = async ({ systemPrompt, tools = [] }: { systemPrompt: string; tools?: ToolSpec[] }): Promise<LlmConversation> => {
    const messages: Message[] = [];
    const toolList = tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters }));
    // tool_use blocks must be answered by tool_result blocks at the start of the next user message.
    let pendingResults: Block[] = [];
    let lastReply: Message | undefined;
    let ended = false;

    async function* reply(turn: { user?: string; guidance?: string }, options: { signal?: AbortSignal } = {}): AsyncGenerator<LlmChunk> {
      if (ended || disposed) throw new ParleyError('unavailable', 'This conversation has ended');
      messages.push({ role: 'user', content: [...pendingResults, { type: 'text', text: turnText(turn) }] });
      pendingResults = [];
      lastReply = undefined;
      if (options.signal?.aborted) return;
      const call = new HttpCall(SERVICE, options.signal);
      const blocks: Array<{ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; json: string }> = [];
      let finished = false;
      // Input tokens come with message_start, the output count (cumulative) with message_delta.
      const usage = { inputTokens: 0, outputTokens: 0, reported: false };
      try {
        const body = JSON.stringify({ model: config.model, max_tokens: maxTokens, temperature, system: systemPrompt, messages, stream: true, ...(toolList.length > 0 ? { tools: toolList } : {}) });
        const response = await call.send(url, { headers, body }, timeoutMs, config.guard);
        for await (const message of call.events(response, idleTimeoutMs)) {
          const event = parseEvent(message.data);
          if (event.type === 'error') throw new ParleyError('unavailable', `${SERVICE} failed mid-reply: ${event.error?.message ?? event.error?.type ?? 'unknown error'}`);
          if (event.type === 'content_block_start') {
            const block = event.content_block;
            blocks[event.index] = block.type === 'tool_use' ? { type: 'tool_use', id: block.id ?? '', name: block.name ?? '', json: '' } : { type: 'text', text: block.text ?? '' };
          } else if (event.type === 'content_block_delta') {
            const block = blocks[event.index];
            if (event.delta.type === 'text_delta' && block?.type === 'text') {
              block.text += event.delta.text;
              if (event.delta.text) yield { type: 'text', text: event.delta.text };
            } else if (event.delta.type === 'input_json_delta' && block?.type === 'tool_use') {
              block.json += event.delta.partial_json;
            }
          } else if (event.type === 'message_start' && event.message?.usage) {
            usage.inputTokens = event.message.usage.input_tokens ?? 0;
            usage.outputTokens = event.message.usage.output_tokens ?? 0;
            usage.reported = true;
          } else if (event.type === 'message_delta' && event.usage) {
            usage.outputTokens = event.usage.output_tokens ?? usage.outputTokens;
            usage.reported = true;
          } else if (event.type === 'message_stop') {
            break;
          }
        }
        finished = !call.cancelledByCaller;
      } catch (error) {
        if (!call.cancelledByCaller) throw call.failure(error);
      } finally {
        call.finish();
        if (!finished) {
          // Cut short: keep only the words (a half-streamed tool call is dropped).
          const said = blocks.filter((b) => b?.type === 'text' && b.text).map((b) => ({ type: 'text' as const, text: (b as { text: string }).text }));
          if (said.length > 0) messages.push((lastReply = { role: 'assistant', content: said }));
        }
      }
      if (!finished) return;
      const content: Block[] = [];
      const toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> = [];
      for (const block of blocks) {
        if (!block) continue;
        if (block.type === 'text') {
          if (block.text) content.push({ type: 'text', text: block.text });
          continue;
        }
        let input: Record<string, unknown>;
        try {
          input = block.json.trim() ? (JSON.parse(block.json) as Record<string, unknown>) : {};
        } catch {
          config.logger?.warn({ tool: block.name }, 'Anthropic sent malformed tool input; ignored');
          continue;
        }
        content.push({ type: 'tool_use', id: block.id, name: block.name, input });
        pendingResults.push({ type: 'tool_result', tool_use_id: block.id, content: 'accepted' });
        if (tools.some((tool) => tool.name === block.name)) toolCalls.push({ name: block.name, arguments: input });
      }
      if (content.length > 0) messages.push((lastReply = { role: 'assistant', content }));
      for (const toolCall of toolCalls) yield { type: 'tool-call', ...toolCall };
      if (usage.reported) yield { type: 'usage', inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
    }

    return {
      reply,
      amendLastReply(heardText: string) {
        if (!lastReply) return;
        // Keep tool_use blocks (their results are owed); replace the words with what was heard.
        const toolUses = lastReply.content.filter((b) => b.type === 'tool_use');
        lastReply.content = heardText ? [{ type: 'text', text: heardText }, ...toolUses] : toolUses;
        if (lastReply.content.length === 0) {
          // An empty assistant turn is refused by the API; consecutive user turns are merged by it.
          messages.splice(messages.indexOf(lastReply), 1);
          lastReply = undefined;
        }
      },
      async dispose() {
        ended = true;
      },
    };
  };

  return {
    name: 'anthropic',
    providerId: config.providerId,
    capabilities: { toolCalls: true, jsonSchema: true, gpu: false },
    startConversation,
    async completeJson(prompt, schema, options = {}) {
      if (disposed) throw new ParleyError('unavailable', 'The Anthropic adapter has been shut down');
      if (schema.type !== 'object') throw new ParleyError('invalid_payload', 'Anthropic structured output needs an object schema');
      const call = new HttpCall(SERVICE, options.signal);
      // A forced tool call is the API's way to get input that follows a schema.
      const body = JSON.stringify({
        model: config.model,
        max_tokens: options.maxTokens ?? 512,
        temperature: 0,
        messages: [{ role: 'user', content: prompt }],
        tools: [{ name: 'record_answer', description: 'Record the answer in the required structure.', input_schema: schema }],
        tool_choice: { type: 'tool', name: 'record_answer' },
      });
      const response = await call.send(url, { headers, body }, timeoutMs, config.guard);
      const text = await call.text(response, idleTimeoutMs);
      let content: Block[] | undefined;
      try {
        content = (JSON.parse(text) as { content?: Block[] }).content;
      } catch {
        throw new ParleyError('unavailable', `${SERVICE} sent a response that is not JSON`);
      }
      const answer = content?.find((block) => block.type === 'tool_use');
      if (!answer || answer.type !== 'tool_use') throw new ParleyError('unavailable', `${SERVICE} returned no structured answer`);
      return answer.input;
    },
    async dispose() {
      disposed = true;
    },
  };
}
