/**
 * Adaptive end-of-turn silence: the default wait, extended (and bounded) when what the caller said
 * so far sounds unfinished — reading out digits, a trailing "and", a filler like "um".
 */
export interface EndpointingOptions {
  /** Silence after speech that ends a turn. */
  silenceMs: number;
  /** Silence allowed when the caller sounds mid-number or mid-sentence. */
  extendedSilenceMs: number;
  /** Hard bound on any wait. */
  maxSilenceMs: number;
}

export const DEFAULT_ENDPOINTING: EndpointingOptions = { silenceMs: 600, extendedSilenceMs: 1_600, maxSilenceMs: 2_500 };

export type EndpointReason = 'default' | 'digits' | 'conjunction' | 'filler' | 'trailing-comma' | 'no-transcript';

const NUMBER_WORDS = new Set(['zero', 'oh', 'o', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'double', 'triple', 'hundred', 'thousand']);
const CONJUNCTIONS = new Set(['and', 'or', 'but', 'so', 'because', 'then', 'if', 'the', 'a', 'an', 'to', 'of', 'with', 'my', 'is', 'at', 'for', 'in', 'on']);
const FILLERS = new Set(['um', 'umm', 'uh', 'uhh', 'er', 'erm', 'hmm', 'like', 'well']);
/** Digits in a complete phone number (national significant number in most plans). */
const COMPLETE_NUMBER_DIGITS = 10;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9'\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);
}

/** Digits in the run of number-like words at the end of the text ("... is 5 5 5, 1 2" -> 5). */
function trailingDigitCount(text: string): number {
  const tokens = words(text);
  let digits = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (/^\d+$/.test(t)) digits += t.length;
    else if (NUMBER_WORDS.has(t)) digits += t === 'double' || t === 'triple' || t === 'hundred' || t === 'thousand' ? 0 : 1;
    else break;
  }
  return digits;
}

export function endpointDelay(transcript: string | undefined, options: EndpointingOptions = DEFAULT_ENDPOINTING): { delayMs: number; reason: EndpointReason } {
  const bounded = (ms: number) => Math.min(ms, options.maxSilenceMs);
  if (transcript === undefined) return { delayMs: bounded(options.silenceMs), reason: 'no-transcript' };
  const text = transcript.trim();
  const tokens = words(text);
  const last = tokens[tokens.length - 1];
  if (!last) return { delayMs: bounded(options.silenceMs), reason: 'default' };
  const endsSentence = /[.?!]["')\]]*$/.test(text) && !/\d[.]$/.test(text);
  const digits = trailingDigitCount(text);
  if (digits > 0 && digits < COMPLETE_NUMBER_DIGITS) return { delayMs: bounded(options.extendedSilenceMs), reason: 'digits' };
  if (endsSentence) return { delayMs: bounded(options.silenceMs), reason: 'default' };
  if (FILLERS.has(last)) return { delayMs: bounded(options.extendedSilenceMs), reason: 'filler' };
  if (CONJUNCTIONS.has(last)) return { delayMs: bounded(options.extendedSilenceMs), reason: 'conjunction' };
  if (/[,;:]$|\.\.\.$|…$/.test(text)) return { delayMs: bounded(options.extendedSilenceMs), reason: 'trailing-comma' };
  return { delayMs: bounded(options.silenceMs), reason: 'default' };
}

const BACKCHANNELS = new Set([
  'uh-huh', 'uh huh', 'uhuh', 'mhm', 'mm-hmm', 'mm hmm', 'mmhmm', 'mm-hm', 'mm hm', 'mmhm', 'mm', 'hmm', 'yeah', 'yep', 'yes', 'ok', 'okay', 'right', 'sure', 'i see', 'got it', 'alright', 'all right', 'aha', 'ah', 'oh', 'uh', 'um',
]);

/** True when the words are only acknowledgements ("uh-huh", "yeah, ok") that should not take the floor. */
export function isBackchannel(text: string): boolean {
  const cleaned = text.toLowerCase().replace(/[^a-z'\s-]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!cleaned) return true;
  if (BACKCHANNELS.has(cleaned)) return true;
  const parts = cleaned.split(/\s+/);
  // "yeah ok", "uh huh yeah": every word (or adjacent pair) is an acknowledgement
  let i = 0;
  while (i < parts.length) {
    const pair = i + 1 < parts.length ? `${parts[i]} ${parts[i + 1]}` : undefined;
    if (pair && BACKCHANNELS.has(pair)) i += 2;
    else if (BACKCHANNELS.has(parts[i]!)) i += 1;
    else return false;
  }
  return true;
}

/**
 * Short commands that take the floor even as one word ("No.", "Stop", "Wait", "Hold on"): unlike a
 * backchannel, they ask the agent to stop. Checked on the whole utterance, punctuation aside.
 */
const SHORT_COMMAND = /^(no+|nope|nah|stop|wait|hold on|hang on|not now|one (moment|second|sec)|just a (moment|second|sec|minute)|wait a (moment|second|sec|minute)|excuse me|sorry|hey|hello)( (no+|stop|wait|please|there|it|now|hold on|hang on|a (moment|second|minute)))*$/;

export function isShortCommand(text: string): boolean {
  const cleaned = text.toLowerCase().replace(/[^a-z'\s-]/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned.length > 0 && SHORT_COMMAND.test(cleaned);
}

export function wordCount(text: string): number {
  return words(text).length;
}
