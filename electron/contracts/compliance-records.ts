import { z } from 'zod';
import { DncSource, Region } from './contacts';

/** The do-not-call list's history and the abandoned-call rate (the 3% rule). */

export const DncAction = z.enum(['add', 'remove']);
export type DncAction = z.infer<typeof DncAction>;

/** One change to the do-not-call list. `actor`: a user's name, "caller on call X", or "import <file>". */
export const DncHistoryEntry = z.object({
  phone: z.string(),
  action: DncAction,
  actor: z.string(),
  reason: z.string(),
  source: DncSource,
  callId: z.string().nullable(),
  at: z.string(),
});
export type DncHistoryEntry = z.infer<typeof DncHistoryEntry>;

/** US rules (47 CFR 64.1200(a)(7)): at most 3% of live-answered calls abandoned per campaign over 30 days. */
export const ABANDON_CAP_PERCENT = 3;
/** From this rate the dialer places fewer calls at once, down to one just below the cap. */
export const ABANDON_SLOW_PERCENT = 2.5;
/** A call where the agent says nothing within this long of the answer is abandoned. */
export const ABANDON_SILENCE_MS = 2_000;
export const ABANDON_WINDOW_DAYS = 30;

export const AbandonmentRate = z.object({
  campaignId: z.string(),
  /** Answered calls (not by a machine, not dry runs) over the rolling window. */
  answered: z.number(),
  abandoned: z.number(),
  /** 0 when nothing was answered. */
  percent: z.number(),
  /** 'ok', 'slowed' (at or above ABANDON_SLOW_PERCENT) or 'capped' (at or above the cap: no new calls). */
  state: z.enum(['ok', 'slowed', 'capped']),
  windowDays: z.number(),
});
export type AbandonmentRate = z.infer<typeof AbandonmentRate>;

export const complianceRecordCommands = {
  /** Every add and removal of one number, oldest first. */
  'dnc.history': {
    request: z.object({ phone: z.string().trim().min(3).max(40), defaultRegion: Region.default('US') }).strict(),
    response: z.object({ phone: z.string(), onList: z.boolean(), entries: z.array(DncHistoryEntry) }),
  },
  /** The abandoned-call rate of one campaign, or of every campaign that answered calls in the window. */
  'compliance.abandonment': {
    request: z.object({ campaignId: z.string().min(1).max(64).optional() }).strict(),
    response: z.array(AbandonmentRate),
  },
} as const;
