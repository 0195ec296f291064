import type { Weekday } from '../../contracts';
import { WEEKDAYS } from '../../contracts';

/** Local hours on one weekday when a call may start: [start, end) as HH:MM; null: no calls that day. */
export type DayHours = { start: string; end: string } | null;

/**
 * The legal calling hours of one jurisdiction: a country (ISO code, "US") or a US state ("US-FL").
 * Hours are in the recipient's local time. Each entry cites the statute or regulation it encodes.
 */
export interface HoursRule {
  jurisdiction: string;
  name: string;
  days: Record<Weekday, DayHours>;
  /** Dates (YYYY-MM-DD, local) the law names as days without calls, for a given year. */
  holidays?: (year: number) => string[];
  source: string;
}

const every = (start: string, end: string): Record<Weekday, DayHours> =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, { start, end }])) as Record<Weekday, DayHours>;

/** The nth (1-based) weekday (0 = Sunday) of a month, or the last one with n = -1, as YYYY-MM-DD. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  let day: number;
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    day = 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  } else {
    const lastDate = new Date(Date.UTC(year, month, 0));
    day = lastDate.getUTCDate() - ((lastDate.getUTCDay() - weekday + 7) % 7);
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const fixed = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/**
 * Rhode Island's legal holidays, R.I. Gen. Laws § 25-1-1 (the days the Telephone Sales Solicitation
 * Act's "hours of operation" exclude). Election days, also listed there, are not computed.
 */
export function rhodeIslandHolidays(year: number): string[] {
  return [
    fixed(year, 1, 1), // New Year's Day
    nthWeekday(year, 1, 1, 3), // Dr. Martin Luther King Jr.'s birthday
    nthWeekday(year, 2, 1, 3), // Washington's birthday
    nthWeekday(year, 5, 1, -1), // Memorial Day
    fixed(year, 7, 4), // Independence Day
    nthWeekday(year, 8, 1, 2), // Victory Day
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    fixed(year, 11, 11), // Veterans Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving
    fixed(year, 12, 25), // Christmas
  ];
}

/**
 * The table. A recipient is bound by their country's entry and, in the US, their state's; a call
 * must be inside every entry that applies. Countries and states not listed here have no entry
 * (see the compliance README for what is not covered): only the campaign's own window applies.
 */
export const HOURS_RULES: readonly HoursRule[] = [
  {
    jurisdiction: 'US',
    name: 'United States',
    days: every('08:00', '21:00'),
    // No telephone solicitation before 8 a.m. or after 9 p.m. local time at the called party's location.
    source: 'TCPA rules, 47 CFR 64.1200(c)(1); Telemarketing Sales Rule, 16 CFR 310.4(c)',
  },
  {
    jurisdiction: 'US-FL',
    name: 'Florida',
    days: every('08:00', '20:00'),
    source: 'Florida Telemarketing Act, Fla. Stat. § 501.616(6)(a) (as amended 2021, SB 1120)',
  },
  {
    jurisdiction: 'US-OK',
    name: 'Oklahoma',
    days: every('08:00', '20:00'),
    source: 'Oklahoma Telephone Solicitation Act of 2022, 15 O.S. § 775C.4',
  },
  {
    jurisdiction: 'US-MD',
    name: 'Maryland',
    days: every('08:00', '20:00'),
    source: 'Maryland Stop the Spam Calls Act of 2023, Md. Code, Com. Law Title 14, Subtitle 45',
  },
  {
    jurisdiction: 'US-WA',
    name: 'Washington',
    days: every('08:00', '20:00'),
    // "No telephone solicitor may call a residence between the hours of 8:00 p.m. and 8:00 a.m."
    source: 'RCW 80.36.390(2)',
  },
  {
    jurisdiction: 'US-TX',
    name: 'Texas',
    // 9 a.m. to 9 p.m. on weekdays and Saturday; noon to 9 p.m. on Sunday.
    days: { ...every('09:00', '21:00'), sun: { start: '12:00', end: '21:00' } },
    source: 'Tex. Bus. & Com. Code § 301.051',
  },
  {
    jurisdiction: 'US-MS',
    name: 'Mississippi',
    // 8 a.m. to 8 p.m.; no calls on Sunday.
    days: { ...every('08:00', '20:00'), sun: null },
    source: 'Miss. Code Ann. § 77-3-725',
  },
  {
    jurisdiction: 'US-CT',
    name: 'Connecticut',
    days: every('09:00', '20:00'),
    source: 'Conn. Gen. Stat. § 42-288a (as amended 2023, Public Act 23-98)',
  },
  {
    jurisdiction: 'US-RI',
    name: 'Rhode Island',
    // "Hours of operation": 9 a.m.-6 p.m. Monday to Friday, 10 a.m.-5 p.m. Saturday; never on Sundays or holidays.
    days: { ...every('09:00', '18:00'), sat: { start: '10:00', end: '17:00' }, sun: null },
    holidays: rhodeIslandHolidays,
    source: 'R.I. Gen. Laws § 5-61-3.6 with the hours of operation of § 5-61-2; holidays per § 25-1-1',
  },
  {
    jurisdiction: 'CA',
    name: 'Canada',
    // 9:00 a.m.-9:30 p.m. on weekdays, 10:00 a.m.-6:00 p.m. on Saturday and Sunday (provinces may be stricter).
    days: { ...every('09:00', '21:30'), sat: { start: '10:00', end: '18:00' }, sun: { start: '10:00', end: '18:00' } },
    source: 'CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules)',
  },
];

const byJurisdiction = new Map(HOURS_RULES.map((rule) => [rule.jurisdiction, rule]));

export function hoursRule(jurisdiction: string): HoursRule | undefined {
  return byJurisdiction.get(jurisdiction);
}

/**
 * US states with an entry above, by NANP area code (the Florida act presumes a call to one of the
 * state's area codes reaches a resident; the same reading is applied to every state here).
 */
const STATE_AREA_CODES: Record<string, string> = {
  'US-FL': '239 305 321 324 352 386 407 448 561 656 689 727 728 754 772 786 813 850 863 904 941 954',
  'US-OK': '405 539 572 580 918',
  'US-MD': '227 240 301 410 443 667',
  'US-WA': '206 253 360 425 509 564',
  'US-TX': '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979',
  'US-MS': '228 601 662 769',
  'US-CT': '203 475 860 959',
  'US-RI': '401',
};

let stateByAreaCode: Map<string, string> | undefined;

/** The state entry ("US-FL") of a US area code, or undefined when its state has no entry. */
export function stateOfAreaCode(areaCode: string): string | undefined {
  if (!stateByAreaCode) {
    stateByAreaCode = new Map();
    for (const [state, codes] of Object.entries(STATE_AREA_CODES)) for (const code of codes.split(' ')) stateByAreaCode.set(code, state);
  }
  return stateByAreaCode.get(areaCode);
}

export function stateAreaCodes(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(STATE_AREA_CODES).map(([state, codes]) => [state, codes.split(' ')]));
}
