import { z } from 'zod';
import { CarrierState, Line, LineInput, LineTestResult } from './lines';

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
} as const;

export const lineEvents = {
  /** A line was added, edited or removed (`line` null when removed). */
  'line.changed': z.object({ id: LineId, line: Line.nullable() }),
  /** A line's carrier changed state (registered, auth failed, unreachable...). */
  'line.state': z.object({ id: LineId, state: CarrierState }),
} as const;
