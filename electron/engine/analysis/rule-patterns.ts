import type { CallOutcome, LeadScore } from '../../contracts';

/**
 * Phrases that decide a call's outcome and lead-score parts when no language model is installed.
 * Checked in order; the first outcome whose pattern matches any caller turn wins.
 */
export const OUTCOME_PATTERNS: Array<[CallOutcome, RegExp]> = [
  [
    'dnc_request',
    /\b(do ?n[o']t call|don'?t (ever )?call (me|us|this number|here)|stop calling|remove (me|my number|us)|take (me|my number|us) off|put me on (the|your) do[- ]not[- ]call|never call (me|again)|no more calls)\b/i,
  ],
  [
    'wrong_number',
    /\b(wrong number|you have the wrong|(doesn'?t|does not|don'?t|do not) live here|no one (here )?(by|with) that name|nobody (here )?(by|with) that name|never heard of (him|her|them))\b/i,
  ],
  ['voicemail', /\b(leave (me )?a message|after the (tone|beep)|not available to take your call|reached the voicemail|voice ?mail(box)?)\b/i],
  [
    'converted',
    /\b(book (it|me|that|a slot|an appointment)|sign me up|let'?s do it|i'?ll take it|count me in|go ahead( and book)?|schedule (it|me|that)|that works,? book|i agree to|confirm(ed)? the (booking|appointment|order))/i,
  ],
  [
    'callback',
    /\b(call (me )?back|call (me )?(later|tomorrow|next week|another time)|not a good time|(i'?m|i am) (busy|driving|at work) (right )?now|try (me )?(again )?(later|tomorrow)|ring (me )?back)\b/i,
  ],
  ['not_interested', /\b(not interested|no,? thank(s| you)|(don'?t|do not|won'?t) (need|want)\b|not for (me|us)|we'?re (all )?(set|good)|no need)\b/i],
  ['interested', /\b(interested|tell me more|sounds (good|great|interesting)|send (me )?(the )?(info|information|details|an email|a brochure)|how much (is|does)|what (does|would) it cost|i'?d like to (know|hear|learn))\b/i],
];

export const BUDGET_PATTERNS: Array<[LeadScore['budget']['status'], RegExp]> = [
  ['none', /\b(no budget|(don'?t|do not) have (the |a |any )?(budget|money|funds)|can'?t afford|cannot afford|out of (our|my) budget)\b/i],
  ['limited', /\b(tight|limited|small) budget\b|\b(too|a bit|quite) expensive\b|\bbudget is (tight|limited)\b/i],
  [
    'confirmed',
    /(\$\s?\d[\d,.]*\s?(k|thousand|million)?|\b\d[\d,.]*\s?(k|thousand|million)?\s?(dollars|euros|pounds|usd|eur|gbp)\b|\bbudget (of|is|around|about)\b|\b(have|got|set aside|approved) (a |the )?budget\b|\bbudget (is )?approved\b)/i,
  ],
];

/** A stated amount of money, kept as the budget's detail. */
export const MONEY = /(\$\s?\d[\d,.]*\s?(k|thousand|million)?|\b\d[\d,.]*\s?(k|thousand|million)?\s?(dollars|euros|pounds|usd|eur|gbp)\b)/i;

export const TIMELINE_PATTERNS: Array<[LeadScore['timeline']['horizon'], RegExp]> = [
  ['now', /\b(today|right away|immediately|asap|as soon as possible|this week|right now|tomorrow)\b/i],
  ['weeks', /\b(next week|in (a|one|two|three|a few|a couple of|couple of) weeks?|within (a|two|three) weeks|this month|end of (the )?month)\b/i],
  [
    'months',
    /\b(next month|in (a|one|two|three|four|five|six|a few|a couple of|couple of) months?|this quarter|next quarter|q[1-4]|in the (spring|summer|autumn|fall|winter)|before (the )?(summer|winter|end of the year))\b/i,
  ],
  ['later', /\b(next year|later this year|someday|some day|eventually|not (any ?time )?soon|in a year|not this year)\b/i],
];

export const DECISION_PATTERNS: Array<[LeadScore['decisionMaker'], RegExp]> = [
  [
    'no',
    /\b(not my (decision|call)|(my|the) (boss|manager|owner|director|husband|wife) (decides|makes the decision)|i'?d have to ask|i would have to ask|(i'?m|i am) not the (right person|decision maker|one who decides))\b/i,
  ],
  ['shared', /\b((check|talk|speak|discuss it) with my (wife|husband|partner|boss|manager|team|board)|ask my (wife|husband|partner|boss|manager|team)|we decide together|decide together|jointly)\b/i],
  ['yes', /\b((i'?m|i am) the (owner|decision maker|one who decides|boss)|i decide|i make (the|all the) decisions|my decision|it'?s up to me|i can decide|i sign off)\b/i],
];

const NEGATION_BEFORE = /\b(not|no|never|don'?t|do not|won'?t|will not|wouldn'?t|can'?t|cannot|isn'?t)\s+(\w+\s+){0,2}$/i;

/**
 * First pattern that matches any of the texts, with the matching snippet. A match right after a
 * negation ("I don't want to book it") does not count.
 */
export function firstMatch<T>(patterns: Array<[T, RegExp]>, texts: string[]): { value: T; snippet: string } | null {
  for (const [value, pattern] of patterns) {
    for (const text of texts) {
      const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
      for (const match of text.matchAll(global)) {
        const before = text.slice(0, match.index);
        if (!/\b(not|no|never)\b/i.test(match[0]) && NEGATION_BEFORE.test(before)) continue;
        return { value, snippet: match[0].trim() };
      }
    }
  }
  return null;
}
