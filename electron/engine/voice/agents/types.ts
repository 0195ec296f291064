/** What an agent may do besides talking. Tools of the LLM agent map one to one onto these. */
export type AgentAction =
  | { type: 'end-call'; reason: string }
  | { type: 'mark-dnc'; reason?: string }
  | { type: 'schedule-callback'; when?: string; note?: string }
  | { type: 'transfer-to-human'; reason?: string };

export type AgentOutput = { type: 'text'; text: string } | { type: 'action'; action: AgentAction };

/** The campaign and contact an agent talks on behalf of / to. */
export interface CallBrief {
  campaignName: string;
  agentPrompt: string;
  questions: string[];
  openingLine?: string;
  closing?: string;
  voicemailMessage?: string;
  /** Leave the message after the beep (default) or hang up on a machine. */
  voicemailAction?: 'leave-message' | 'hang-up';
  /** Whether the opening says the call is automated and may be recorded. */
  disclosure?: boolean;
  language?: string;
  /** A campaign voice name; TTS engines that lack it use their default. */
  voice?: string;
  contact: { name?: string; company?: string; custom?: Record<string, unknown>; context?: string };
}

/**
 * One call's conversation partner: scripted flow or language model. Replies stream, so speech can
 * start with the first clause. `heard` tells it what of its last reply the caller actually heard.
 */
export interface ConversationAgent {
  readonly kind: 'scripted' | 'llm';
  readonly name: string;
  opening(signal: AbortSignal): AsyncIterable<AgentOutput>;
  respond(callerText: string, signal: AbortSignal): AsyncIterable<AgentOutput>;
  /** The line left on an answering machine. */
  voicemail(): string;
  heard(text: string, interrupted: boolean): void;
  /** Supervisor guidance for the next reply only (a whisper: the caller never hears it as such). */
  guide?(text: string): void;
  /** Speaks again after a supervisor handed the call back; `summary` says what was said meanwhile. */
  resume?(summary: string, signal: AbortSignal): AsyncIterable<AgentOutput>;
  dispose(): Promise<void>;
}
