export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

/**
 * A reply streams text and tool calls; `usage` (tokens the provider counted for this reply, when it
 * reports them) comes once, last, and is for cost accounting only.
 */
export type LlmChunk =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; name: string; arguments: Record<string, unknown> }
  | { type: 'usage'; inputTokens: number; outputTokens: number };

export interface LanguageModelCapabilities {
  toolCalls: boolean;
  jsonSchema: boolean;
  gpu: boolean;
}

/**
 * One conversation. The system prompt and contact context are evaluated once and kept (KV cache for
 * local models); each turn streams. `amendLastReply` keeps only what the caller actually heard.
 */
export interface LlmConversation {
  reply(turn: { user?: string; guidance?: string }, options?: { signal?: AbortSignal }): AsyncIterable<LlmChunk>;
  amendLastReply(heardText: string): void;
  dispose(): Promise<void>;
}

export interface LanguageModel {
  readonly name: string;
  /** The configured provider (`providers.id`) this model belongs to, for costs and health; unset for engines configured in code. */
  readonly providerId?: string;
  readonly capabilities: LanguageModelCapabilities;
  startConversation(options: { systemPrompt: string; tools?: ToolSpec[] }): Promise<LlmConversation>;
  /** One-shot JSON output constrained by `schema` (extraction, classification). */
  completeJson(prompt: string, schema: Record<string, unknown>, options?: { signal?: AbortSignal; maxTokens?: number }): Promise<unknown>;
  dispose(): Promise<void>;
}
