export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type LlmChunk = { type: 'text'; text: string } | { type: 'tool-call'; name: string; arguments: Record<string, unknown> };

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
  readonly capabilities: LanguageModelCapabilities;
  startConversation(options: { systemPrompt: string; tools?: ToolSpec[] }): Promise<LlmConversation>;
  /** One-shot JSON output constrained by `schema` (extraction, classification). */
  completeJson(prompt: string, schema: Record<string, unknown>, options?: { signal?: AbortSignal; maxTokens?: number }): Promise<unknown>;
  dispose(): Promise<void>;
}
