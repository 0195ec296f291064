import { ParleyError } from '../../../contracts';
import type { Logger } from '../../logging';
import type { LanguageModel, LlmChunk, LlmConversation, ToolSpec } from '../../ports/llm';
import { HttpCall, joinUrl, type RequestGuard } from '../http/http-call';
import { turnText } from './turn-text';

export interface OpenAiCompatibleConfig {
  /** The office's provider row (`providers.id`) this engine serves, for costs and health. */
  providerId?: string;
  /** The provider's breaker: skips a provider that is down, retries once, honours 429s. */
  guard?: RequestGuard;
  /** API root including the version, e.g. `https://api.openai.com/v1` or Ollama's `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /** Optional: local servers (Ollama, LM Studio, vLLM) usually need none. */
  apiKey?: string;
  /** Shown in errors and the UI: "OpenAI", "Ollama"... */
  serviceName?: string;
  /** Until the response headers arrive. */
  timeoutMs?: number;
  /** Between streamed chunks. */
  idleTimeoutMs?: number;
  maxReplyTokens?: number;
  temperature?: number;
  /** OpenAI's strict structured outputs (needs closed, all-required schemas); off for servers that refuse it. */
  strictJsonSchema?: boolean;
  logger?: Logger;
}

type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

interface StreamDelta {
  /** Sent once, in the last event, when asked for (`stream_options.include_usage`). */
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  choices?: Array<{ delta?: { content?: string | null; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> } }>;
  error?: { message?: string };
}

/** What the agent reports back to the model for a tool it acted on (the port has no result channel). */
const TOOL_ACCEPTED = JSON.stringify({ status: 'accepted' });

function parseArguments(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function parseDelta(service: string, data: string): StreamDelta {
  let delta: StreamDelta;
  try {
    delta = JSON.parse(data) as StreamDelta;
  } catch {
    throw new ParleyError('unavailable', `${service} sent a malformed stream event`);
  }
  if (delta.error) throw new ParleyError('unavailable', `${service} failed mid-reply: ${delta.error.message ?? 'unknown error'}`);
  return delta;
}

/** Chat completions over HTTP with SSE streaming: OpenAI, Ollama, LM Studio, vLLM and the like. */
export async function createOpenAiCompatibleLanguageModel(config: OpenAiCompatibleConfig): Promise<LanguageModel> {
  if (!/^https?:\/\//.test(config.baseUrl)) throw new ParleyError('invalid_payload', `The model server URL must start with http:// or https:// (got "${config.baseUrl}")`);
  if (!config.model) throw new ParleyError('invalid_payload', 'No model name is configured for the model server');
  const service = config.serviceName ?? 'The model server';
  const timeoutMs = config.timeoutMs ?? 15_000;
  const idleTimeoutMs = config.idleTimeoutMs ?? 15_000;
  const url = joinUrl(config.baseUrl, 'chat/completions');
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream, application/json' };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
  const sampling = { model: config.model, max_tokens: config.maxReplyTokens ?? 300, temperature: config.temperature ?? 0.7 };
  let disposed = false;

  const startConversation = async ({ systemPrompt, tools = [] }: { systemPrompt: string; tools?: ToolSpec[] }): Promise<LlmConversation> => {
    const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt }];
    const toolList = tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
    let ended = false;

    async function* reply(turn: { user?: string; guidance?: string }, options: { signal?: AbortSignal } = {}): AsyncGenerator<LlmChunk> {
      if (ended || disposed) throw new ParleyError('unavailable', 'This conversation has ended');
      messages.push({ role: 'user', content: turnText(turn) });
      if (options.signal?.aborted) return;
      const call = new HttpCall(service, options.signal);
      let text = '';
      let finished = false;
      const calls: Array<{ id: string; name: string; arguments: string }> = [];
      let usage: { inputTokens: number; outputTokens: number } | undefined;
      try {
        // The usage event is what a call's cost is computed from; servers that do not report it send none.
        const body = JSON.stringify({ ...sampling, messages, stream: true, stream_options: { include_usage: true }, ...(toolList.length > 0 ? { tools: toolList } : {}) });
        const response = await call.send(url, { headers, body }, timeoutMs, config.guard);
        for await (const event of call.events(response, idleTimeoutMs)) {
          if (event.data === '[DONE]') break;
          const delta = parseDelta(service, event.data);
          if (delta.usage) usage = { inputTokens: delta.usage.prompt_tokens ?? 0, outputTokens: delta.usage.completion_tokens ?? 0 };
          const choice = delta.choices?.[0]?.delta;
          if (choice?.content) {
            text += choice.content;
            yield { type: 'text', text: choice.content };
          }
          for (const part of choice?.tool_calls ?? []) {
            const slot = (calls[part.index] ??= { id: '', name: '', arguments: '' });
            if (part.id) slot.id = part.id;
            if (part.function?.name) slot.name += part.function.name;
            if (part.function?.arguments) slot.arguments += part.function.arguments;
          }
        }
        finished = !call.cancelledByCaller;
      } catch (error) {
        if (!call.cancelledByCaller) throw call.failure(error);
      } finally {
        call.finish();
        // Cancelled or abandoned mid-reply: keep what was said so far (amendLastReply trims it).
        if (!finished) messages.push({ role: 'assistant', content: text });
      }
      if (!finished) return;
      const complete = calls.filter((c) => c && c.name).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
      messages.push({ role: 'assistant', content: text || null, ...(complete.length > 0 ? { tool_calls: complete.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}) });
      for (const toolCall of complete) messages.push({ role: 'tool', tool_call_id: toolCall.id, content: TOOL_ACCEPTED });
      for (const toolCall of complete) {
        const args = parseArguments(toolCall.arguments);
        if (!tools.some((tool) => tool.name === toolCall.name) || !args) {
          config.logger?.warn({ tool: toolCall.name }, 'model called an unknown tool or sent malformed arguments; ignored');
          continue;
        }
        yield { type: 'tool-call', name: toolCall.name, arguments: args };
      }
      if (usage) yield { type: 'usage', ...usage };
    }

    return {
      reply,
      amendLastReply(heardText: string) {
        for (let i = messages.length - 1; i >= 0; i--) {
          const message = messages[i]!;
          if (message.role === 'assistant') {
            message.content = heardText;
            return;
          }
        }
      },
      async dispose() {
        ended = true;
      },
    };
  };

  return {
    name: config.serviceName ?? 'openai-compatible',
    providerId: config.providerId,
    capabilities: { toolCalls: true, jsonSchema: true, gpu: false },
    startConversation,
    async completeJson(prompt, schema, options = {}) {
      if (disposed) throw new ParleyError('unavailable', 'The model server adapter has been shut down');
      const call = new HttpCall(service, options.signal);
      const body = JSON.stringify({
        ...sampling,
        max_tokens: options.maxTokens ?? 512,
        temperature: 0,
        messages: [
          { role: 'system', content: 'Answer with JSON only.' },
          { role: 'user', content: prompt },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'output', schema, strict: config.strictJsonSchema ?? true } },
      });
      const response = await call.send(url, { headers, body }, timeoutMs, config.guard);
      const text = await call.text(response, idleTimeoutMs);
      let content: string | null | undefined;
      try {
        content = (JSON.parse(text) as { choices?: Array<{ message?: { content?: string | null } }> }).choices?.[0]?.message?.content;
      } catch {
        throw new ParleyError('unavailable', `${service} sent a response that is not JSON`);
      }
      if (!content) throw new ParleyError('unavailable', `${service} returned no content`);
      try {
        return JSON.parse(content) as unknown;
      } catch {
        throw new ParleyError('unavailable', `${service} returned text that is not the requested JSON`);
      }
    },
    async dispose() {
      disposed = true;
    },
  };
}
