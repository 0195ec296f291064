import { z } from 'zod';
import { AudioStreamTicket, QuestionAnswer, Speaker } from './supervision';

/**
 * Warm transfer to a person: a caller who asked for one waits in the "waiting for a person" queue
 * (shown on every console) while the AI keeps them company. The first desk agent to accept takes
 * the call over, or puts it through to the campaign's human transfer number.
 */

const CallId = z.string().min(1).max(64);

/** Take the call over in the console, put it through to the campaign's number, or to the accepting desk agent's own phone (Twilio). */
export const AcceptVia = z.enum(['takeover', 'transfer', 'desk-phone']);
export type AcceptVia = z.infer<typeof AcceptVia>;

/** One caller waiting for a person, with the brief a desk agent reads before accepting. */
export const WaitingCaller = z.object({
  callId: z.string(),
  campaignId: z.string().nullable(),
  campaignName: z.string(),
  contactName: z.string().nullable(),
  phone: z.string(),
  /** Why they asked, in their words (or the supervisor's / the model's). */
  reason: z.string(),
  /** Who asked for the person: the caller (the agent heard it) or a supervisor. */
  requestedBy: z.string(),
  since: z.string(),
  /** When the AI stops waiting and offers a callback instead. */
  deadline: z.string(),
  /** The last things said, oldest first. */
  recentTurns: z.array(z.object({ speaker: Speaker, text: z.string() })),
  answers: z.array(QuestionAnswer),
  /** What accepting can do here: always take over; put through only where the line and a target allow it. */
  canTransferTo: z.string().nullable(),
  /** The call can ring the accepting desk agent's own phone (a Twilio line and its Voice SDK phones). */
  deskPhone: z.boolean(),
  /** Null while waiting; the desk agent who accepted it. */
  takenBy: z.string().nullable(),
});
export type WaitingCaller = z.infer<typeof WaitingCaller>;

/** How a wait ended. */
export const WaitEnd = z.enum(['taken-over', 'transferred', 'timed-out', 'caller-hung-up', 'call-ended']);
export type WaitEnd = z.infer<typeof WaitEnd>;

export const transferCommands = {
  'transfers.waiting': { request: z.object({}).strict(), response: z.array(WaitingCaller) },
  /** A supervisor asks for a person on a caller's behalf: the call joins the queue. */
  'transfers.request': { request: z.object({ callId: CallId, reason: z.string().trim().max(200).optional() }).strict(), response: WaitingCaller },
  /** First come: of two consoles, one gets the call, the other a `conflict` naming who took it. */
  'transfers.accept': {
    request: z.object({ callId: CallId, via: AcceptVia }).strict(),
    response: z.object({ via: AcceptVia, ticket: AudioStreamTicket.nullable(), target: z.string().nullable(), detail: z.string() }),
  },
} as const;

/** Named `call.*` so each console sees only the campaigns it may (see the engine's event filter). */
export const transferEvents = {
  /** A caller joined the queue (or their brief changed). */
  'call.person-waiting': WaitingCaller,
  /** A desk agent accepted: every console shows who. */
  'call.person-taken': z.object({ callId: z.string(), by: z.string(), via: AcceptVia }),
  /** The wait is over (taken, timed out, the caller hung up); `waitedMs` counts from the request. */
  'call.person-wait-over': z.object({ callId: z.string(), end: WaitEnd, waitedMs: z.number(), detail: z.string() }),
  /** An ended call's card: the outcome in words, for the console's "Ended" section. */
  'call.concluded': z.object({ callId: z.string(), outcome: z.string(), endedAt: z.string() }),
} as const;
