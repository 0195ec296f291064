/** How the dialer hands a contact to the voice side, and what it gets back. */
export interface CallRequest {
  callId: string;
  campaignId: string;
  contactId: string;
  phoneE164: string;
  attempt: number;
}

export type DialOutcome = 'completed' | 'no-answer' | 'busy' | 'voicemail' | 'failed';

export interface CallLauncher {
  /** Places the call and runs it to the end; resolves with the outcome (never rejects for call failures). */
  launch(request: CallRequest): Promise<{ outcome: DialOutcome; detail?: string }>;
}
