import type BetterSqlite3 from 'better-sqlite3';

/** A person who talked this long before the engine stopped was in a conversation, not just being dialled. */
export const INTERRUPTED_AFTER_MS = 5_000;

export interface LeftOpenCall {
  id: string;
  /** How long the call had been answered when it was last heard of (0: never answered). */
  talkedMs: number;
  /** The last moment the call was known to be alive: its last turn or event. */
  lastSeenAt: number;
  outcome: 'interrupted' | 'unknown';
}

/**
 * Calls a stopped engine (a crash, a kill, a power cut) left open in `calls`. Only the process that
 * holds the dialing lease closes them, and never one it is running itself: a call that talked for a
 * few seconds becomes `interrupted` (its transcript is analysed and the person is called again only
 * after the campaign's `interrupted` delay); one that never got that far becomes `unknown`.
 */
export class LeftOpenCalls {
  private readonly open: BetterSqlite3.Statement;
  private readonly close: BetterSqlite3.Statement;
  private readonly note: BetterSqlite3.Statement;
  private readonly closeAll: (calls: LeftOpenCall[], now: number) => void;

  constructor(sqlite: BetterSqlite3.Database) {
    this.open = sqlite.prepare(
      `select c.id, c.answered_at, c.started_at, c.created_at,
         max(coalesce((select max(coalesce(t.ended_at, t.started_at)) from transcript_turns t where t.call_id = c.id), 0),
             coalesce((select max(e.at) from call_events e where e.call_id = c.id), 0)) as last_seen
       from calls c where c.ended_at is null`,
    );
    this.close = sqlite.prepare(`update calls set state = 'ended', outcome = @outcome, ended_at = @endedAt where id = @id and ended_at is null`);
    this.note = sqlite.prepare(`insert into call_events (call_id, at, kind, data) values (@id, @at, 'call.interrupted', @data)`);
    this.closeAll = sqlite.transaction((calls: LeftOpenCall[], now: number) => {
      for (const call of calls) {
        this.close.run({ id: call.id, outcome: call.outcome, endedAt: Math.min(now, Math.max(call.lastSeenAt, 0)) || now });
        this.note.run({ id: call.id, at: now, data: JSON.stringify({ outcome: call.outcome, talkedMs: call.talkedMs, detail: 'Parley stopped during this call; it was closed at the next start' }) });
      }
    });
  }

  /** The calls open in the database that `isLive` does not claim, with what they had become. */
  find(isLive: (callId: string) => boolean): LeftOpenCall[] {
    const rows = this.open.all() as Array<{ id: string; answered_at: number | null; started_at: number | null; created_at: number; last_seen: number }>;
    return rows
      .filter((row) => !isLive(row.id))
      .map((row) => {
        const lastSeenAt = Math.max(row.last_seen, row.answered_at ?? 0, row.started_at ?? 0, row.created_at);
        const talkedMs = row.answered_at === null ? 0 : Math.max(0, lastSeenAt - row.answered_at);
        return { id: row.id, talkedMs, lastSeenAt, outcome: talkedMs >= INTERRUPTED_AFTER_MS ? 'interrupted' : 'unknown' };
      });
  }

  /** Ends them in one transaction, each with a `call.interrupted` event saying why. */
  closeCalls(calls: LeftOpenCall[], now: number): void {
    if (calls.length > 0) this.closeAll(calls, now);
  }
}
