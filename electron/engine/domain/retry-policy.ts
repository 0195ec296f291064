import type { AttemptOutcome, RetryDelays } from '../../contracts';

export type AfterAttempt = { state: 'queued'; nextAt: number } | { state: 'done' };

const DELAY_KEY: Record<Exclude<AttemptOutcome, 'completed'>, keyof RetryDelays> = {
  'no-answer': 'noAnswer',
  busy: 'busy',
  voicemail: 'voicemail',
  failed: 'failed',
  // A call whose end we never saw (the engine stopped mid-call) is retried like a failed one.
  unknown: 'failed',
  // A person cut off mid-conversation is called again later, on its own delay, never at once.
  interrupted: 'interrupted',
};

/**
 * What happens to a contact after an attempt: done when the call completed, attempts ran out or the
 * campaign does not retry after this outcome; otherwise queued again after the outcome's delay.
 */
export function afterAttempt(input: {
  outcome: AttemptOutcome;
  attempts: number;
  maxAttempts: number;
  retryDelayMinutes: RetryDelays;
  now: number;
}): AfterAttempt {
  if (input.outcome === 'completed') return { state: 'done' };
  if (input.attempts >= input.maxAttempts) return { state: 'done' };
  const delay = input.retryDelayMinutes[DELAY_KEY[input.outcome]];
  if (delay === null) return { state: 'done' };
  return { state: 'queued', nextAt: input.now + delay * 60_000 };
}
