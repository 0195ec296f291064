import { ParleyError } from '../../contracts';

export interface TimeRange {
  /** Inclusive lower bound, epoch ms. */
  fromMs: number;
  /** Exclusive upper bound, epoch ms. */
  toMs: number;
  /** The console's UTC offset in ms, for hour-of-day and day boundaries. */
  offsetMs: number;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Dashboard date filters: a plain date means that whole day in the console's time zone (so `to`
 * includes its day); a timestamp is taken as written. Missing bounds are open.
 */
export function toTimeRange(filter: { from?: string; to?: string; tzOffsetMinutes?: number }): TimeRange {
  const offsetMs = (filter.tzOffsetMinutes ?? 0) * 60_000;
  const fromMs = filter.from ? parseBound(filter.from, offsetMs, 'from') : Number.MIN_SAFE_INTEGER;
  const toMs = filter.to ? parseBound(filter.to, offsetMs, 'to') + (DATE_ONLY.test(filter.to) ? DAY_MS : 0) : Number.MAX_SAFE_INTEGER;
  if (fromMs >= toMs) throw new ParleyError('invalid_payload', 'The start date must be before the end date', [{ path: 'from', message: 'After the end date' }]);
  return { fromMs, toMs, offsetMs };
}

function parseBound(value: string, offsetMs: number, field: 'from' | 'to'): number {
  const date = DATE_ONLY.exec(value);
  const ms = date ? Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) - offsetMs : Date.parse(value);
  const roundTrips = !date || new Date(ms + offsetMs).toISOString().startsWith(value);
  if (!Number.isFinite(ms) || !roundTrips) throw new ParleyError('invalid_payload', `Not a real date: ${value}`, [{ path: field, message: 'Not a real date' }]);
  return ms;
}
