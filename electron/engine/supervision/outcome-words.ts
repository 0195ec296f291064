import type { WaitEnd } from '../../contracts';

/** What happened on a call that the console says in words once it ends. */
export interface CallFacts {
  /** The caller (or a supervisor for them) asked for a person. */
  personRequested: boolean;
  /** How the wait for a person ended, and who accepted it. */
  wait: { end: WaitEnd; by: string | null; target: string | null } | null;
  /** A callback the agent booked: the time in the caller's words (null: no time given). */
  callback: { when: string | null } | null;
  /** A supervisor's callback, as an ISO time. */
  supervisorCallback: string | null;
  doNotCall: boolean;
  /** The supervisor who ended the call. */
  endedBy: string | null;
}

export const NO_FACTS: CallFacts = { personRequested: false, wait: null, callback: null, supervisorCallback: null, doNotCall: false, endedBy: null };

const OUTCOME_TEXT: Record<string, string> = {
  completed: 'Completed',
  'no-answer': 'Not answered',
  busy: 'Line busy',
  voicemail: 'Answering machine',
  failed: 'Call failed',
  unknown: 'Ended',
  interrupted: 'Interrupted: Parley stopped during the call',
};

/** "Transfer requested, callback booked for tomorrow at ten"; never an internal code. */
export function outcomeInWords(facts: CallFacts, outcome: string, formatTime: (iso: string) => string): string {
  const parts: string[] = [];
  if (facts.doNotCall) parts.push('Asked not to be called');
  if (facts.personRequested) {
    const w = facts.wait;
    if (!w) parts.push('Transfer requested');
    else if (w.end === 'taken-over') parts.push(`Transfer requested, taken over by ${w.by ?? 'a desk agent'}`);
    else if (w.end === 'transferred') parts.push(`Transferred to ${w.target ?? 'a person'}${w.by ? ` by ${w.by}` : ''}`);
    else if (w.end === 'timed-out') parts.push('Transfer requested, nobody was free');
    else if (w.end === 'caller-hung-up') parts.push('Hung up waiting for a person');
    else parts.push('Transfer requested, the call ended while waiting');
  }
  if (facts.callback) parts.push(`${parts.length > 0 ? 'callback' : 'Callback'} booked${facts.callback.when ? ` for ${facts.callback.when}` : ''}`);
  if (facts.supervisorCallback) parts.push(`${parts.length > 0 ? 'callback' : 'Callback'} set for ${formatTime(facts.supervisorCallback)}`);
  if (facts.endedBy) parts.push(`${parts.length > 0 ? 'ended' : 'Ended'} by ${facts.endedBy}`);
  if (parts.length === 0) return OUTCOME_TEXT[outcome] ?? 'Ended';
  return parts.join(', ');
}

/** "Tue 10:00" in the engine's zone. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString('en-US', { weekday: 'short' });
  return `${day} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
