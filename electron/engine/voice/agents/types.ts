/** What an agent may do besides talking. Tools of the LLM agent map one to one onto these. */
export type AgentAction =
  | { type: 'end-call'; reason: string }
  | { type: 'mark-dnc'; reason?: string }
  | { type: 'schedule-callback'; when?: string; note?: string }
  | { type: 'transfer-to-human'; reason?: string }
  /** The caller answered the recording-consent question: only a clear yes grants it. */
  | { type: 'recording-consent'; granted: boolean; answer: 'yes' | 'no' | 'unclear' };

export type AgentOutput = { type: 'text'; text: string } | { type: 'action'; action: AgentAction };

/** What became of a whisper: taken (and how), or refused before it reached the agent. */
export interface WhisperOutcome {
  accepted: boolean;
  detail: string;
}

/** The campaign and contact an agent talks on behalf of / to. */
export interface CallBrief {
  /** Internal: never said to the contact (they hear the company name). */
  campaignName: string;
  companyName?: string;
  agentName?: string;
  agentPrompt: string;
  questions: string[];
  openingLine?: string;
  closing?: string;
  voicemailMessage?: string;
  /** Leave the message after the beep (default) or hang up on a machine. */
  voicemailAction?: 'leave-message' | 'hang-up';
  /** Whether the opening says the call is automated and may be recorded. */
  disclosure?: boolean;
  /** Ask "Is it OK if this call is recorded?" after the disclosure (all-party-consent states, or the campaign says always). */
  askRecordingConsent?: boolean;
  language?: string;
  /** A campaign voice name; TTS engines that lack it use their default. */
  voice?: string;
  contact: { name?: string; company?: string; custom?: Record<string, unknown>; context?: string };
  /** This call is the callback the contact asked for (their words, when any). */
  callback?: { askedWords?: string };
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
  /** Supervisor guidance for the next reply only (a whisper: never spoken to the caller); says what it will do, or why not. */
  guide?(text: string): WhisperOutcome;
  /**
   * Parley's own guidance for the next reply (the emotion monitor's), never a supervisor's words:
   * a script says it as a line before its reply, a model takes it as an instruction.
   */
  steer?(text: string): void;
  /**
   * The disclosure (automated call, recording) when the caller has not heard all of it yet: a
   * person taking over reads it, or the agent says it again when the call is handed back.
   */
  readonly disclosureOwed?: string | null;
  /**
   * The caller is waiting for a person (Parley fetches one): the agent keeps them company and
   * never says goodbye for it. False: the wait is over (a person took the call).
   */
  awaitPerson?(waiting: boolean): void;
  /** Nobody accepted in time: apologise and ask when to call back; the next reply books that time. */
  personUnavailable?(signal: AbortSignal): AsyncIterable<AgentOutput>;
  /** Speaks again after a supervisor handed the call back; `summary` says what was said meanwhile. */
  resume?(summary: string, signal: AbortSignal): AsyncIterable<AgentOutput>;
  dispose(): Promise<void>;
}
