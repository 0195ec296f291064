import { z } from 'zod';
import { CarrierState, Line, LineInput, LineTestResult, TwilioNumber } from './lines';

const LineId = z.string().min(1).max(64);

/**
 * An edit of a line: the whole input again (kind included). `password` absent keeps the saved one,
 * an empty string deletes it.
 */
export const LinePatch = LineInput;

export const lineCommands = {
  'lines.list': { request: z.object({}).strict(), response: z.array(Line) },
  'lines.get': { request: z.object({ id: LineId }).strict(), response: Line },
  'lines.create': { request: LineInput, response: Line },
  'lines.update': { request: z.object({ id: LineId, line: LinePatch }).strict(), response: Line },
  'lines.remove': { request: z.object({ id: LineId }).strict(), response: z.object({ id: LineId }) },
  /** A real round trip to the carrier (REGISTER / OPTIONS / connect), with a verdict and its latency. */
  'lines.test': { request: z.object({ id: LineId }).strict(), response: LineTestResult },
  /** A Twilio line's account numbers (IncomingPhoneNumbers), to pick the line's numbers from. */
  'lines.twilioNumbers': { request: z.object({ id: LineId }).strict(), response: z.array(TwilioNumber) },
  /**
   * A short-lived Twilio access token (VoiceGrant) for the signed-in desk agent's Voice SDK phone on a
   * Twilio line with an API key; its identity is the session's user, never the request's.
   */
  'phone.token': {
    request: z.object({ lineId: LineId.optional() }).strict(),
    response: z.object({ token: z.string(), identity: z.string(), lineId: LineId, expiresAt: z.string() }),
  },
} as const;

export const lineEvents = {
  /** A line was added, edited or removed (`line` null when removed). */
  'line.changed': z.object({ id: LineId, line: Line.nullable() }),
  /** A line's carrier changed state (registered, auth failed, unreachable...). */
  'line.state': z.object({ id: LineId, state: CarrierState }),
} as const;
