import type { CallbackView } from '../../../../electron/contracts';

export type CallbackGroup = 'overdue' | 'due' | 'upcoming' | 'closed';

const DUE_SOON_MS = 15 * 60_000;

/** Overdue: past due and still scheduled; due: within 15 minutes or being dialled; upcoming: later. */
export function groupOf(callback: CallbackView, now: number): CallbackGroup {
  if (callback.state !== 'scheduled' && callback.state !== 'dialing') return 'closed';
  if (callback.state === 'dialing') return 'due';
  const at = Date.parse(callback.dueAt);
  if (at < now - DUE_SOON_MS) return 'overdue';
  return at <= now + DUE_SOON_MS ? 'due' : 'upcoming';
}

/** The due time in the contact's own zone ("Tue 8 Dec, 10:00 America/New_York"). */
export function contactLocal(callback: CallbackView): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: callback.zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(Date.parse(callback.dueAt));
  return `${text} ${callback.zone}`;
}

/** A value for <input type="datetime-local"> from an ISO instant, in this browser's zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
