import { LlamaChatSession, type ChatHistoryItem, type LlamaContext, type LlamaContextSequence, type LlamaGrammar } from 'node-llama-cpp';
import { ParleyError } from '../../../contracts';
import type { Logger } from '../../logging';
import type { LanguageModel, LlmChunk, LlmConversation, ToolSpec } from '../../ports/llm';
import { physicalCoreCount } from '../hardware';
import { acquireLlama, acquireLlamaModel, type LlamaGpuSetting } from './llama-runtime';
import { PushStream } from './push-stream';
import { JsonStringFieldDecoder, plainToolTurnReply, schemaProblems, toolTurnInstructions, toolTurnSchema, type ToolTurnReply } from './reply-format';
import { turnText } from './turn-text';

export interface LlamaConfig {
  /** A GGUF file. */
  modelPath: string;
  /** CPU threads; defaults to the physical core count (more threads than cores is far slower). */
  threads?: number;
  /** 'auto' uses CUDA, Vulkan or Metal when present, else the CPU. */
  gpu?: LlamaGpuSetting;
  /** Tokens each conversation can hold (system prompt, contact context and the whole call). */
  contextSize?: number;
  /** Calls that can hold a conversation at once; each keeps its own KV cache (memory grows with contextSize x this). */
  maxConversations?: number;
  maxReplyTokens?: number;
  /** Cap on one spoken reply when tools are on (the grammar enforces it). */
  maxReplyChars?: number;
  temperature?: number;
  logger?: Logger;
}

/** A JSON-schema grammar: `parse` checks the generated text against the schema. */
type ChatTurnGrammar = LlamaGrammar & { parse(json: string): unknown };

/**
 * One call's conversation on its own context sequence: the system prompt is evaluated when the
 * conversation starts and its KV cache stays in the sequence, so each turn evaluates only the new
 * words. Turns run one after another; a cancelled turn ends its stream quietly.
 */
class LlamaConversation implements LlmConversation {
  private lastTurn: Promise<void> = Promise.resolve();
  /** The generation in flight, so dispose can stop it even if its reader never comes back. */
  private active: { stop: AbortController; done: Promise<void> } | undefined;
  private disposed = false;

  constructor(
    private readonly session: LlamaChatSession,
    private readonly sequence: LlamaContextSequence,
    private readonly toolGrammar: ChatTurnGrammar | undefined,
    private readonly settings: { maxTokens: number; temperature: number },
    private readonly onDispose: () => void,
  ) {}

  async *reply(turn: { user?: string; guidance?: string }, options: { signal?: AbortSignal } = {}): AsyncGenerator<LlmChunk> {
    if (this.disposed) throw new ParleyError('unavailable', 'This conversation has ended');
    const prompt = turnText(turn);
    const previous = this.lastTurn;
    let finishTurn!: () => void;
    this.lastTurn = new Promise((resolve) => (finishTurn = resolve));
    try {
      await previous;
      if (options.signal?.aborted) return;
      const stop = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
      const stream = new PushStream<LlmChunk>();
      const decoder = this.toolGrammar ? new JsonStringFieldDecoder('say') : undefined;
      let spoken = '';
      const generation = this.session
        .prompt(prompt, {
          signal,
          stopOnAbortSignal: true,
          maxTokens: this.settings.maxTokens,
          temperature: this.settings.temperature,
          grammar: this.toolGrammar,
          budgets: { thoughtTokens: 0 }, // a caller is waiting: no hidden reasoning
          onTextChunk: (chunk) => {
            const text = decoder ? decoder.push(chunk) : chunk;
            spoken += text;
            if (text) stream.push({ type: 'text', text });
          },
        })
        .then((raw) => {
          if (this.toolGrammar && !signal.aborted) {
            const action = this.parseAction(raw, spoken);
            if (action) stream.push({ type: 'tool-call', name: action.tool, arguments: action.arguments });
          }
          stream.end();
        })
        .catch((error: unknown) => stream.fail(error));
      this.active = { stop, done: generation };
      try {
        yield* stream;
      } finally {
        stop.abort(); // the consumer stopped reading: stop generating
        await generation;
        this.active = undefined;
      }
    } finally {
      finishTurn();
    }
  }

  /** Reads the tool call from a finished reply; a reply cut short is kept as plain speech. */
  private parseAction(raw: string, spoken: string): ToolTurnReply['action'] {
    try {
      return (this.toolGrammar!.parse(raw) as ToolTurnReply).action;
    } catch {
      this.replaceLastReply(plainToolTurnReply(spoken));
      return null;
    }
  }

  amendLastReply(heardText: string): void {
    // Applied after the turn in flight (if any) has wound down, before the next one starts.
    const amend = () => this.replaceLastReply(this.toolGrammar ? plainToolTurnReply(heardText) : heardText);
    this.lastTurn = this.lastTurn.then(amend);
  }

  private replaceLastReply(response: string): void {
    if (this.disposed) return;
    const history: ChatHistoryItem[] = this.session.getChatHistory();
    for (let i = history.length - 1; i >= 0; i--) {
      const item = history[i]!;
      if (item.type === 'model') {
        history[i] = { ...item, response: [response] };
        this.session.setChatHistory(history);
        return;
      }
    }
  }

  /** The model's replies as kept in the history (after amendments): what the model will remember saying. */
  replies(): string[] {
    return this.session
      .getChatHistory()
      .filter((item) => item.type === 'model')
      .map((item) => item.response.filter((part): part is string => typeof part === 'string').join(''));
  }

  /** Tokens evaluated so far and now held in this conversation's KV cache (for tests and stats). */
  get usage(): { inputTokensEvaluated: number; outputTokens: number; contextTokens: number } {
    const meter = this.sequence.tokenMeter;
    return { inputTokensEvaluated: meter.usedInputTokens, outputTokens: meter.usedOutputTokens, contextTokens: this.sequence.contextTokens.length };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.active) {
      this.active.stop.abort();
      await this.active.done;
    } else {
      await this.lastTurn;
    }
    this.session.dispose({ disposeSequence: false });
    this.sequence.dispose();
    this.onDispose();
  }
}

export type LlamaConversationHandle = LlmConversation & Pick<LlamaConversation, 'usage' | 'replies'>;

export type LlamaLanguageModel = Omit<LanguageModel, 'startConversation'> & { startConversation(options: { systemPrompt: string; tools?: ToolSpec[] }): Promise<LlamaConversationHandle> };

/**
 * A local GGUF model through node-llama-cpp. The runtime and the model are shared per process;
 * this adapter owns one context whose sequences are the conversation slots (one per live call,
 * plus one for structured extraction).
 */
export async function createLlamaLanguageModel(config: LlamaConfig): Promise<LlamaLanguageModel> {
  const threads = config.threads ?? (await physicalCoreCount());
  let maxConversations = config.maxConversations ?? 2;
  const settings = { maxTokens: config.maxReplyTokens ?? 256, temperature: config.temperature ?? 0.7 };
  const maxReplyChars = config.maxReplyChars ?? 600;
  let runtime: Awaited<ReturnType<typeof acquireLlama>>;
  try {
    runtime = await acquireLlama({ gpu: config.gpu ?? 'auto', threads, logger: config.logger });
  } catch (error) {
    throw new ParleyError('unavailable', `node-llama-cpp cannot start on this machine (no usable prebuilt binary?): ${error instanceof Error ? error.message : String(error)}`);
  }
  let releaseModel: (() => Promise<void>) | undefined;
  let context: LlamaContext;
  try {
    const loaded = await acquireLlamaModel(runtime.llama, config.modelPath);
    releaseModel = loaded.release;
    const contextSize = Math.min(config.contextSize ?? 4096, loaded.model.trainContextSize);
    // One slot per line that can run; where memory cannot hold that many, as many as it can (halving, down to 1).
    for (;;) {
      try {
        context = await loaded.model.createContext({ contextSize, sequences: maxConversations + 1, threads });
        break;
      } catch (error) {
        if (maxConversations <= 1) throw error;
        const fewer = Math.max(1, Math.floor(maxConversations / 2));
        config.logger?.warn({ err: error, slots: maxConversations, retry: fewer }, 'the local model has no room for that many conversations; trying fewer');
        maxConversations = fewer;
      }
    }
  } catch (error) {
    await releaseModel?.();
    await runtime.release();
    throw error instanceof ParleyError ? error : new ParleyError('unavailable', `The local model could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { llama } = runtime;
  const conversations = new Set<LlamaConversation>();
  /** Conversations given a slot whose system prompt is still being evaluated (they count as taken). */
  let starting = 0;
  let extraction: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const takeSequence = (purpose: 'conversation' | 'extraction'): LlamaContextSequence => {
    if (disposed) throw new ParleyError('unavailable', 'The local model has been shut down');
    // The last sequence stays free for extraction, so summaries never wait for a call to end.
    if (purpose === 'conversation' && conversations.size + starting >= maxConversations) {
      throw new ParleyError('unavailable', `All ${maxConversations} conversation slots of the local model are in use`);
    }
    if (context.sequencesLeft === 0) throw new ParleyError('unavailable', 'The local model has no free context sequence');
    return context.getSequence();
  };

  const createGrammar = async (schema: Record<string, unknown>): Promise<ChatTurnGrammar> => {
    const problems = schemaProblems(schema);
    if (problems.length > 0) throw new ParleyError('invalid_payload', `The JSON schema cannot be used: ${problems.join('; ')}`);
    try {
      return (await llama.createGrammarForJsonSchema(schema as never)) as unknown as ChatTurnGrammar;
    } catch (error) {
      throw new ParleyError('invalid_payload', `The JSON schema cannot be used as a grammar: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return {
    name: 'llama',
    capabilities: { toolCalls: true, jsonSchema: true, gpu: llama.gpu !== false },

    async startConversation({ systemPrompt, tools = [] }) {
      const toolGrammar = tools.length > 0 ? await createGrammar(toolTurnSchema(tools, maxReplyChars)) : undefined;
      const fullPrompt = toolGrammar ? `${systemPrompt}\n\n${toolTurnInstructions(tools, maxReplyChars)}` : systemPrompt;
      const sequence = takeSequence('conversation');
      starting++;
      try {
        const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: fullPrompt, autoDisposeSequence: false });
        // Evaluate the system prompt and contact context now (while the phone rings), not on the first turn.
        await session.preloadPrompt('');
        const conversation = new LlamaConversation(session, sequence, toolGrammar, settings, () => conversations.delete(conversation));
        conversations.add(conversation);
        return conversation;
      } catch (error) {
        sequence.dispose();
        throw error;
      } finally {
        starting--;
      }
    },

    async completeJson(prompt, schema, options = {}) {
      const grammar = await createGrammar(schema);
      const run = async () => {
        const sequence = takeSequence('extraction');
        const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: 'Answer with JSON only.', autoDisposeSequence: false });
        try {
          const raw = await session.prompt(prompt, { grammar, signal: options.signal, maxTokens: options.maxTokens ?? 512, temperature: 0, budgets: { thoughtTokens: 0 } });
          try {
            return grammar.parse(raw);
          } catch (error) {
            throw new ParleyError('unavailable', `The model's JSON was cut off or invalid (raise maxTokens?): ${error instanceof Error ? error.message : String(error)}`);
          }
        } finally {
          session.dispose({ disposeSequence: false });
          sequence.dispose();
        }
      };
      // One extraction at a time on the reserved slot.
      const result = extraction.then(run, run);
      extraction = result.catch(() => undefined);
      return result;
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.all([...conversations].map((conversation) => conversation.dispose()));
      await extraction;
      await context.dispose();
      await releaseModel?.();
      await runtime.release();
    },
  } satisfies LlamaLanguageModel;
}
