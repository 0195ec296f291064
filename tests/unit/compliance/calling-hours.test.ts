import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_SETTINGS, isTimeZone, WEEKDAYS, type CallingWindow } from '../../../electron/contracts';
import { HOURS_RULES, hoursRule, rhodeIslandHolidays, stateAreaCodes } from '../../../electron/engine/compliance/calling-hours-table';
import { candidateZones, legalIn, mayCallNow, nextOpening, rulesFor } from '../../../electron/engine/compliance/legal-hours';
import { countryOfZone, windowProblems } from '../../../electron/engine/compliance/window-check';
import { zoneForAreaCode } from '../../../electron/engine/domain/nanp-zones';
import { splitAreaCodes, zonesOfSplitAreaCode } from '../../../electron/engine/domain/nanp-split-zones';
import { demoContactZone } from '../../../electron/server/sample-data';

const ALL_WEEK: CallingWindow = { start: '00:00', end: '23:59', days: [...WEEKDAYS], holidays: [] };
const at = (iso: string) => Date.parse(iso);

describe('legal calling hours table', () => {
  it('cites a statute or regulation for every entry and covers every day', () => {
    for (const rule of HOURS_RULES) {
      expect(rule.source, rule.jurisdiction).toMatch(/§|CFR|RCW|Rules|O\.S\.|Title/);
      expect(Object.keys(rule.days).sort()).toEqual([...WEEKDAYS].sort());
      for (const day of Object.values(rule.days)) if (day) expect(day.start < day.end).toBe(true);
    }
  });

  it('US: 08:00 to 21:00 in the recipient local time (47 CFR 64.1200(c)(1))', () => {
    const us = [hoursRule('US')!];
    // 07:59 and 21:00 New York time are outside; 08:00 and 20:59 inside.
    expect(legalIn(us, 'America/New_York', at('2026-03-10T11:59:00Z'))).toBe(false);
    expect(legalIn(us, 'America/New_York', at('2026-03-10T12:00:00Z'))).toBe(true);
    expect(legalIn(us, 'America/New_York', at('2026-03-11T00:59:00Z'))).toBe(true);
    expect(legalIn(us, 'America/New_York', at('2026-03-11T01:00:00Z'))).toBe(false);
  });

  it('applies the state entry of the number: Florida stops at 20:00, Texas starts at noon on Sunday', () => {
    expect(rulesFor('+13055550100').map((r) => r.jurisdiction)).toEqual(['US', 'US-FL']);
    expect(rulesFor('+12125550100').map((r) => r.jurisdiction)).toEqual(['US']);
    expect(rulesFor('+14165550100').map((r) => r.jurisdiction)).toEqual(['CA']);
    expect(rulesFor('+442071838750')).toEqual([]);
    // 20:30 in Miami (EDT, UTC-4): legal in New York, not in Florida.
    const evening = at('2026-06-10T00:30:00Z');
    expect(mayCallNow(ALL_WEEK, rulesFor('+12125550100'), ['America/New_York'], evening)).toBe(true);
    expect(mayCallNow(ALL_WEEK, rulesFor('+13055550100'), ['America/New_York'], evening)).toBe(false);
    // Sunday 11:00 in Houston (CDT): not yet; 12:00: yes.
    expect(mayCallNow(ALL_WEEK, rulesFor('+17135550100'), ['America/Chicago'], at('2026-06-14T16:00:00Z'))).toBe(false);
    expect(mayCallNow(ALL_WEEK, rulesFor('+17135550100'), ['America/Chicago'], at('2026-06-14T17:00:00Z'))).toBe(true);
    // Mississippi: no calls on Sunday at all.
    expect(mayCallNow(ALL_WEEK, rulesFor('+16015550100'), ['America/Chicago'], at('2026-06-14T17:00:00Z'))).toBe(false);
  });

  it('keeps the holidays the law names (Rhode Island)', () => {
    expect(rhodeIslandHolidays(2026)).toEqual(expect.arrayContaining(['2026-01-01', '2026-08-10', '2026-11-26', '2026-12-25', '2026-05-25']));
    // Victory Day 2026 (Monday 10 August), 11:00 Providence time: closed; the Tuesday after: open.
    expect(mayCallNow(ALL_WEEK, rulesFor('+14015550100'), ['America/New_York'], at('2026-08-10T15:00:00Z'))).toBe(false);
    expect(mayCallNow(ALL_WEEK, rulesFor('+14015550100'), ['America/New_York'], at('2026-08-11T15:00:00Z'))).toBe(true);
  });

  it('knows the state of every area code it lists, and none twice', () => {
    const seen = new Set<string>();
    for (const codes of Object.values(stateAreaCodes())) {
      for (const code of codes) {
        expect(seen.has(code), code).toBe(false);
        seen.add(code);
        expect(zoneForAreaCode(code), code).toBeDefined();
      }
    }
  });

  it('intersects the campaign window with the legal hours', () => {
    const narrow: CallingWindow = { start: '10:00', end: '12:00', days: ['mon'], holidays: [] };
    // Monday 09:00 Chicago: legal, outside the campaign's window.
    expect(mayCallNow(narrow, rulesFor('+13125550100'), ['America/Chicago'], at('2026-03-09T14:00:00Z'))).toBe(false);
    expect(mayCallNow(narrow, rulesFor('+13125550100'), ['America/Chicago'], at('2026-03-09T16:00:00Z'))).toBe(true);
    // The next opening from Monday 13:00 is the Monday after at 10:00.
    expect(new Date(nextOpening(narrow, rulesFor('+13125550100'), ['America/Chicago'], at('2026-03-09T18:00:00Z'))!).toISOString()).toBe('2026-03-16T15:00:00.000Z');
  });
});

describe('uncertain zones: the most restrictive one wins', () => {
  it('joins every zone an area code spans when the zone was guessed', () => {
    expect(candidateZones({ phoneE164: '+18505550100', timezone: 'America/Chicago', timezoneInferred: true }, 'America/New_York').sort()).toEqual(['America/Chicago', 'America/New_York']);
    // Given by the contact: certain.
    expect(candidateZones({ phoneE164: '+18505550100', timezone: 'America/Chicago', timezoneInferred: false }, 'America/New_York')).toEqual(['America/Chicago']);
    // No zone at all: the campaign default (and the area code's zones).
    expect(candidateZones({ phoneE164: '+18005550100', timezone: null, timezoneInferred: false }, 'America/Denver')).toEqual(['America/Denver']);
  });

  it('calls a Florida panhandle number only when it is legal in Central and Eastern time', () => {
    const zones = candidateZones({ phoneE164: '+18505550100', timezone: 'America/Chicago', timezoneInferred: true }, 'America/Chicago');
    const rules = rulesFor('+18505550100');
    // January (standard time). 07:30 Central is 08:30 Eastern: too early in Central.
    expect(mayCallNow(ALL_WEEK, rules, zones, at('2026-01-13T13:30:00Z'))).toBe(false);
    // 08:00 Central = 09:00 Eastern: legal in both.
    expect(mayCallNow(ALL_WEEK, rules, zones, at('2026-01-13T14:00:00Z'))).toBe(true);
    // 19:30 Central = 20:30 Eastern: Florida stops at 20:00 Eastern.
    expect(mayCallNow(ALL_WEEK, rules, zones, at('2026-01-14T01:30:00Z'))).toBe(false);
    expect(mayCallNow(ALL_WEEK, rules, zones, at('2026-01-14T00:30:00Z'))).toBe(true);
  });

  it('lists only zones the runtime knows', () => {
    for (const code of splitAreaCodes()) for (const zone of zonesOfSplitAreaCode(code)!) expect(isTimeZone(zone), `${code} ${zone}`).toBe(true);
  });
});

describe('campaign windows against the law', () => {
  it('refuses a US window that starts before 08:00 or ends after 21:00, naming the rule', () => {
    expect(windowProblems(DEFAULT_CAMPAIGN_SETTINGS.callingWindow, 'America/New_York')).toEqual([]);
    const problems = windowProblems(ALL_WEEK, 'America/Chicago');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('08:00 to 21:00');
    expect(problems[0]).toContain('47 CFR 64.1200(c)(1)');
    expect(windowProblems({ start: '08:00', end: '21:00', days: ['sat', 'sun'], holidays: [] }, 'America/Toronto')).toEqual([
      expect.stringContaining('sat, sun only from 10:00 to 18:00'),
    ]);
  });

  it('keeps the demo legal: its contacts are placed where it is daytime, at any hour', () => {
    for (let hour = 0; hour < 24; hour++) {
      const now = at(`2026-03-10T${String(hour).padStart(2, '0')}:17:00Z`);
      const zone = demoContactZone(now);
      expect(mayCallNow({ start: '08:00', end: '21:00', days: [...WEEKDAYS], holidays: [] }, rulesFor('+13125550101'), [zone], now), `${hour}:17 UTC in ${zone}`).toBe(true);
    }
  });
});

describe('which country judges a window', () => {
  it('the default zone country; the US for a zone that names none; nothing for a country without an entry', () => {
    const night: CallingWindow = { start: '07:00', end: '22:00', days: ['mon'], holidays: [] };
    expect(windowProblems(night, 'UTC')).toHaveLength(1);
    expect(windowProblems(night, 'America/Toronto')[0]).toContain('Canada');
    expect(windowProblems(night, 'Europe/London')).toEqual([]);
  });
});

describe('the country of a zone', () => {
  it('knows US and Canadian zones, and other countries by their main zone', () => {
    expect(countryOfZone('America/Chicago')).toBe('US');
    expect(countryOfZone('America/Indiana/Knox')).toBe('US');
    expect(countryOfZone('America/Vancouver')).toBe('CA');
    expect(countryOfZone('America/Mexico_City')).toBe('MX');
    expect(countryOfZone('Europe/London')).toBe('GB');
    expect(countryOfZone('UTC')).toBeUndefined();
  });
});
