import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type CallingWindow } from '../../contracts';
import { windowProblems } from './window-check';

export interface HoursOverride {
  reason: string;
  by: string;
  at: number;
}

/**
 * Admin overrides of the legal-hours check of a campaign window. An override holds for the exact
 * window and default zone it was given for: change either and the check applies again. The dialer
 * applies the legal-hours table to every call whatever the override says.
 */
export class HoursOverrides {
  private readonly get: BetterSqlite3.Statement;
  private readonly put: BetterSqlite3.Statement;

  constructor(sqlite: BetterSqlite3.Database) {
    this.get = sqlite.prepare('select calling_window, default_timezone, reason, by_user, at from campaign_hours_overrides where campaign_id = ?');
    this.put = sqlite.prepare(
      `insert into campaign_hours_overrides (campaign_id, calling_window, default_timezone, reason, by_user, at) values (@id, @window, @zone, @reason, @by, @at)
       on conflict (campaign_id) do update set calling_window = excluded.calling_window, default_timezone = excluded.default_timezone,
         reason = excluded.reason, by_user = excluded.by_user, at = excluded.at`,
    );
  }

  record(campaignId: string, window: CallingWindow, defaultZone: string, reason: string, by: string, at: number): void {
    this.put.run({ id: campaignId, window: canonical(window), zone: defaultZone, reason, by, at });
  }

  /** The override that covers exactly this window and zone, if any. */
  covering(campaignId: string, window: CallingWindow, defaultZone: string): HoursOverride | undefined {
    const row = this.get.get(campaignId) as { calling_window: string; default_timezone: string; reason: string; by_user: string; at: number } | undefined;
    if (!row || row.calling_window !== canonical(window) || row.default_timezone !== defaultZone) return undefined;
    return { reason: row.reason, by: row.by_user, at: row.at };
  }

  /** Throws `invalid_payload` when the window is outside the legal hours and no override covers it. */
  assertLegal(campaignId: string | undefined, window: CallingWindow, defaultZone: string, path: string): void {
    const problems = windowProblems(window, defaultZone);
    if (problems.length === 0) return;
    if (campaignId !== undefined && this.covering(campaignId, window, defaultZone)) return;
    throw new ParleyError(
      'invalid_payload',
      `The calling window is outside the legal calling hours. ${problems.join(' ')} Narrow the window, or ask an admin to override it with a written reason.`,
      [{ path, message: problems[0]! }],
    );
  }
}

function canonical(window: CallingWindow): string {
  return JSON.stringify({ start: window.start, end: window.end, days: [...window.days].sort(), holidays: [...window.holidays].sort() });
}
