import type { Weekday } from '../../contracts';
import { addDays, localDateOf, weekdayOf, zonedToEpoch, type LocalDate } from './zoned-time';

/**
 * Reads the time a caller asks to be called back at ("tomorrow at ten", "next Tuesday afternoon",
 * "in two hours", "at 3pm") in the contact's own zone. Written for the short phrases speech
 * recognition hands the agent; general date libraries take a fixed UTC offset rather than an IANA
 * zone, which puts a callback an hour off across a daylight-saving change.
 */
export interface SpokenTime {
  epochMs: number;
  /** What was understood, for the record ("tomorrow 10:00"). */
  reading: string;
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, 'forty-five': 45, fortyfive: 45,
};
const WEEKDAY_WORDS: Record<string, Weekday> = {
  monday: 'mon', tuesday: 'tue', wednesday: 'wed', thursday: 'thu', friday: 'fri', saturday: 'sat', sunday: 'sun',
};
const PART_OF_DAY: Record<string, number> = { morning: 10 * 60, noon: 12 * 60, lunchtime: 12 * 60 + 30, afternoon: 14 * 60, evening: 18 * 60, tonight: 19 * 60 };
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

const NUM = `(\\d{1,2}|${Object.keys(NUMBER_WORDS).join('|')})`;
const RELATIVE = new RegExp(`\\bin\\s+(?:(half an?)\\s+hour|${NUM}\\s+(minute|hour|day|week)s?|(an?)\\s+(minute|hour|day|week))\\b`);
const CLOCK = new RegExp(`\\b(?:at\\s+|around\\s+)?${NUM}(?::(\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.|o'?clock)?\\b`);
const HALF_PAST = new RegExp(`\\bhalf past\\s+${NUM}\\b`);

function numberOf(word: string): number | undefined {
  return /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word];
}

/** Null when nothing in the words names a time; the caller then applies its default. */
export function parseSpokenTime(words: string, zone: string, nowMs: number): SpokenTime | null {
  const text = words.toLowerCase().replace(/[,.!?](?=\s|$)/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return null;

  const relative = RELATIVE.exec(text);
  if (relative) {
    const ms = relative[1]
      ? 30 * 60_000
      : relative[2]
        ? (numberOf(relative[2]) ?? 1) * UNIT_MS[relative[3]!]!
        : UNIT_MS[relative[5]!]!;
    return { epochMs: nowMs + ms, reading: `in ${Math.round(ms / 60_000)} minutes` };
  }

  const today = localDateOf(zone, nowMs);
  let day: LocalDate | null = null;
  let dayReading = '';
  if (/\bday after tomorrow\b/.test(text)) [day, dayReading] = [addDays(today, 2), 'the day after tomorrow'];
  else if (/\btomorrow\b/.test(text)) [day, dayReading] = [addDays(today, 1), 'tomorrow'];
  else if (/\b(today|tonight|this (morning|afternoon|evening))\b/.test(text)) [day, dayReading] = [today, 'today'];
  else {
    const named = /\b(next\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/.exec(text);
    if (named) {
      const target = WEEKDAY_WORDS[named[2]!]!;
      let ahead = 1;
      while (weekdayOf(addDays(today, ahead)) !== target) ahead++;
      day = addDays(today, ahead);
      dayReading = named[2]!;
    } else if (/\bnext week\b/.test(text)) [day, dayReading] = [addDays(today, 7), 'next week'];
  }

  const part = Object.keys(PART_OF_DAY).find((p) => new RegExp(`\\b${p}\\b`).test(text));
  let minutes: number | null = null;
  const half = HALF_PAST.exec(text);
  const clock = half ? null : CLOCK.exec(text.replace(/\b(in|for)\s+\S+\s+(minute|hour|day|week)s?\b/g, ''));
  const clockHour = half ? numberOf(half[1]!) : clock ? numberOf(clock[1]!) : undefined;
  // A bare number counts as a time only with "at", a suffix, or beside a day or part of the day.
  const clockIsTime = half !== null || (clock !== null && (/\b(at|around)\s/.test(clock[0]) || clock[3] !== undefined || clock[2] !== undefined || day !== null || part !== undefined));
  if (clockHour !== undefined && clockIsTime && clockHour >= 0 && clockHour <= 23) {
    let hour = clockHour;
    const mins = half ? 30 : Number(clock?.[2] ?? 0);
    const suffix = clock?.[3]?.replace(/\./g, '');
    if (suffix === 'pm' && hour < 12) hour += 12;
    else if (suffix === 'am' && hour === 12) hour = 0;
    else if (suffix !== 'am' && suffix !== 'pm' && hour < 12) {
      // No am/pm: the part of the day decides; else business hours (1-7 means the afternoon).
      if (part === 'afternoon' || part === 'evening' || part === 'tonight' || (part === undefined && hour >= 1 && hour <= 7)) hour += 12;
    }
    if (mins < 60) minutes = hour * 60 + mins;
  }
  if (minutes === null && part !== undefined) minutes = PART_OF_DAY[part]!;
  if (day === null && minutes === null) return null;

  if (day === null) {
    // A time alone: today if it is still ahead, else tomorrow.
    const todayAt = zonedToEpoch(zone, today, minutes!);
    day = todayAt > nowMs ? today : addDays(today, 1);
    dayReading = todayAt > nowMs ? 'today' : 'tomorrow';
  }
  const at = minutes ?? PART_OF_DAY.morning!;
  const hh = String(Math.floor(at / 60)).padStart(2, '0');
  const mm = String(at % 60).padStart(2, '0');
  return { epochMs: zonedToEpoch(zone, day, at), reading: `${dayReading} ${hh}:${mm}` };
}
