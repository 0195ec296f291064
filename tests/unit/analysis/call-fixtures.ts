import type { CallRecord, TranscriptLine } from '../../../electron/engine/analysis/call-record';

/** A finished call record as post-call analysis sees it, from alternating agent/caller lines. */
export function callRecord(lines: Array<[speaker: 'agent' | 'caller', text: string]>, overrides: Partial<CallRecord> = {}): CallRecord {
  const transcript: TranscriptLine[] = lines.map(([speaker, text], seq) => ({ seq, speaker, text, interrupted: false }));
  return {
    callId: 'call-1',
    campaignId: 'campaign-1',
    contactId: 'contact-1',
    contactName: 'Dana Smith',
    campaignName: 'Spring service reminder',
    questions: [],
    createdAt: Date.UTC(2026, 0, 5, 15),
    answeredAt: Date.UTC(2026, 0, 5, 15, 0, 10),
    endedAt: Date.UTC(2026, 0, 5, 15, 4),
    dialOutcome: 'completed',
    dryRun: false,
    transcript,
    emotions: [],
    ...overrides,
  };
}

export const QUESTIONS = ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'];

/** The scripted flow of the seed plan's first campaign, answered by an interested owner. */
export const BOOKED_CALL: Array<[speaker: 'agent' | 'caller', text: string]> = [
  ['agent', 'Hello, this is Sam, an automated assistant calling for Northside Auto. This call may be recorded.'],
  ['caller', 'Oh hi, yes, I was meaning to call you actually.'],
  ['agent', 'Would you like to book your spring service?'],
  ['caller', "Yes, that sounds great. I'm the owner of the car so it's my decision, and my budget is about $300."],
  ['agent', 'Which weekday suits you best?'],
  ['caller', 'Tuesday would be perfect, next week if possible.'],
  ['agent', 'Morning or afternoon?'],
  ['caller', 'Morning please. Go ahead and book it.'],
  ['agent', 'Done: Tuesday morning next week. Thank you, goodbye!'],
];
