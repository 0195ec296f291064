import type { Telephony } from './telephony';

/** What the agent needs for one call, built by the dialer from the campaign and the contact. */
export interface AgentBrief {
  /** Internal: for the call list and logs, never said to the contact. */
  campaignName: string;
  /** Who the contact hears is calling. */
  companyName: string;
  agentName: string;
  /** The opening discloses automation, recording and emotion analysis (the campaign's setting). */
  disclosure: boolean;
  /** The campaign's agent prompt, or its A/B variant's. */
  systemPrompt: string;
  variant: string | null;
  /** The greeting as this contact hears it (contracts/opening-line.ts): the campaign's line with the contact's details, or one made from its names. */
  openingLine: string;
  questions: string[];
  closing: string;
  voicemailMessage: string;
  /** Leave the message after the beep (default) or hang up on a machine. */
  voicemailAction?: 'leave-message' | 'hang-up';
  voice: string;
  language: string;
  contactName: string;
  /** A short per-contact context (who they are, why we call, history) for the agent's prompt. */
  contactContext: string;
  /** Set on a callback call: the agent says it is the callback they asked for. */
  callback?: { askedWords: string | null } | undefined;
}

/** The line a call goes through: its carrier, and whether it is a dry run (a simulated line). */
export interface CallLine {
  id: string;
  telephony: Telephony;
  /** A rehearsal: the call is stored and shown but never writes real records. */
  dryRun: boolean;
}

/** How the dialer hands a contact to the voice side, and what it gets back. */
export interface CallRequest {
  callId: string;
  campaignId: string;
  contactId: string;
  phoneE164: string;
  attempt: number;
  /** Set by the dialer for campaign calls. */
  brief?: AgentBrief;
  /** The campaign's line; absent: the engine's default carrier (test calls, the softphone). */
  line?: CallLine;
}

export type DialOutcome = 'completed' | 'no-answer' | 'busy' | 'voicemail' | 'failed';

/** Optional progress reports from the launcher while a call runs (for live counters). */
export interface CallProgress {
  answered(by: 'human' | 'machine' | 'unknown'): void;
}

export interface CallLauncher {
  /** Places the call and runs it to the end; resolves with the outcome (never rejects for call failures). */
  launch(request: CallRequest, progress?: CallProgress): Promise<{ outcome: DialOutcome; detail?: string }>;
}
