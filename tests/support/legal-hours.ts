import { WEEKDAYS } from '../../electron/contracts';
import { demoContactZone } from '../../electron/server/sample-data';

/**
 * For tests that dial on the real clock: the widest window the US legal hours allow (08:00–21:00
 * every day, 47 CFR 64.1200(c)(1)), and a zone where it is daytime now to put the test contacts
 * in, so the test dials at any hour without leaving legal hours.
 */
export const LEGAL_ALL_WEEK = { start: '08:00', end: '21:00', days: [...WEEKDAYS], holidays: [] as string[] };

export function daytimeZone(now = Date.now()): string {
  return demoContactZone(now);
}
