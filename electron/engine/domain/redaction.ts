/**
 * Finds the numbers a call must not keep: payment card numbers (13–19 digits passing the Luhn
 * check), US social security numbers (9 digits shaped like one), and any run of 12 or more digits
 * (account numbers; longer than a North American phone number with its country code, so callback
 * numbers stay readable). Digits count whether written as figures or spoken as words ("four one
 * one one"), in groups separated by spaces, hyphens, commas or dots.
 */

export type SensitiveKind = 'card' | 'ssn' | 'digits';

export interface SensitiveSpan {
  kind: SensitiveKind;
  /** Character offsets in the text. */
  start: number;
  end: number;
}

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const MASKS: Record<SensitiveKind, string> = { card: '[card number]', ssn: '[SSN]', digits: '[number]' };
const LONG_RUN = 12;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The area, group and serial rules the SSA has issued numbers under (000, 666, 9xx, 00, 0000 never). */
export function ssnShaped(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

function classify(digits: string): SensitiveKind | null {
  if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'card';
  if (digits.length === 9 && ssnShaped(digits)) return 'ssn';
  if (digits.length >= LONG_RUN) return 'digits';
  return null;
}

interface DigitRun {
  start: number;
  end: number;
  digits: string;
}

/** Runs of digits (figures or digit words) in groups separated by spaces, hyphens, commas or dots. */
function digitRuns(text: string): DigitRun[] {
  const runs: DigitRun[] = [];
  let run: DigitRun | null = null;
  const close = () => {
    if (run) runs.push(run);
    run = null;
  };
  for (const match of text.matchAll(/\d+|[A-Za-z]+/g)) {
    const token = match[0];
    const start = match.index;
    const digits = /^\d+$/.test(token) ? token : DIGIT_WORDS[token.toLowerCase()];
    if (digits === undefined) {
      close();
      continue;
    }
    const current = run as DigitRun | null;
    if (current && /^[\s,.\-/]*$/.test(text.slice(current.end, start))) {
      current.end = start + token.length;
      current.digits += digits;
    } else {
      close();
      run = { start, end: start + token.length, digits };
    }
  }
  close();
  return runs;
}

export function findSensitiveNumbers(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  for (const run of digitRuns(text)) {
    const kind = classify(run.digits);
    if (kind) spans.push({ kind, start: run.start, end: run.end });
  }
  return spans;
}

/** Digits in the run the text ends with (0 if it ends with words): a number that may go on in the next turn. */
export function trailingDigits(text: string): number {
  const last = digitRuns(text).at(-1);
  return last && /^[\s,.\-/!?]*$/.test(text.slice(last.end)) ? last.digits.length : 0;
}

/** The text with every sensitive number replaced by what it was ("[card number]", "[SSN]", "[number]"). */
export function redactText(text: string): string {
  const spans = findSensitiveNumbers(text);
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + MASKS[span.kind];
    at = span.end;
  }
  return out + text.slice(at);
}
