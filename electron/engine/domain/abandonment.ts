import { ABANDON_CAP_PERCENT, ABANDON_SILENCE_MS, ABANDON_SLOW_PERCENT, type AbandonmentRate } from '../../contracts';

/** How an answered call ended, as far as the abandonment rule cares. */
export interface AnsweredCallEnd {
  answeredBy: 'human' | 'machine' | 'unknown';
  /** Answer -> the agent's first audio on the line; null when the agent never spoke. */
  firstAudioMs: number | null;
  endedBy: string | null;
  endReason: string | null;
}

/**
 * Ends that mean "the caller hung up while waiting for a person". Matched on the session's end
 * reason (case-insensitive, as a phrase); add the phrase of any new waiting end here.
 */
export const WAITING_FOR_PERSON_ENDS: readonly string[] = ['waiting for a person', 'hung-up-waiting'];

export type Abandonment = { counts: false } | { counts: true; abandoned: boolean; why: string | null };

/**
 * Whether an answered call counts toward the abandonment rate, and if so whether it was abandoned:
 * nothing said within ABANDON_SILENCE_MS of the answer, or the caller hung up waiting for a person.
 * A machine's answer is not a live call and does not count.
 */
export function abandonmentOf(call: AnsweredCallEnd): Abandonment {
  if (call.answeredBy === 'machine') return { counts: false };
  if (call.firstAudioMs === null) return { counts: true, abandoned: true, why: 'the agent never spoke' };
  if (call.firstAudioMs > ABANDON_SILENCE_MS) {
    return { counts: true, abandoned: true, why: `the agent first spoke ${(call.firstAudioMs / 1000).toFixed(1)} s after the answer` };
  }
  const reason = (call.endReason ?? '').toLowerCase();
  if (WAITING_FOR_PERSON_ENDS.some((phrase) => reason.includes(phrase))) return { counts: true, abandoned: true, why: 'the caller hung up waiting for a person' };
  return { counts: true, abandoned: false, why: null };
}

export function abandonmentPercent(answered: number, abandoned: number): number {
  return answered === 0 ? 0 : (abandoned / answered) * 100;
}

export function abandonmentState(percent: number): AbandonmentRate['state'] {
  if (percent >= ABANDON_CAP_PERCENT) return 'capped';
  return percent >= ABANDON_SLOW_PERCENT ? 'slowed' : 'ok';
}

/**
 * Calls a campaign may have at once given its abandonment rate: all of `max` below the slow-down
 * mark, then fewer in step with the distance left to the cap (at least one), none at the cap.
 */
export function concurrencyUnderAbandonment(max: number, percent: number): number {
  if (percent >= ABANDON_CAP_PERCENT) return 0;
  if (percent < ABANDON_SLOW_PERCENT) return max;
  const room = (ABANDON_CAP_PERCENT - percent) / (ABANDON_CAP_PERCENT - ABANDON_SLOW_PERCENT);
  // The small epsilon keeps float noise (3 - 2.7 = 0.2999…) from costing a whole call.
  return Math.max(1, Math.min(max, Math.floor(max * room + 1e-9)));
}
