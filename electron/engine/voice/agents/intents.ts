/**
 * The few things a caller says that change the course of a scripted call, recognised by plain
 * patterns so the flow stays deterministic and explainable.
 */
export type CallerIntent =
  | { type: 'do-not-call' }
  | { type: 'human' }
  | { type: 'callback'; when?: string }
  | { type: 'not-interested' }
  | { type: 'wrong-number' }
  | { type: 'repeat' }
  | { type: 'answer' };

const DO_NOT_CALL = /\b(do not|don't|dont|never) call\b|\bstop calling\b|\bremove (me|my number)\b|\btake (me|my number) off\b|\bdo not call list\b/;
const HUMAN = /\b(speak|talk) (to|with) (a |an |the )?(real |actual )?(human|person|someone|agent|representative|manager|operator)\b|\breal person\b|\b(human|representative|operator),? please\b/;
const CALLBACK = /\bcall (me )?back\b|\bcall (me )?later\b|\bnot a good time\b|\b(i'm|i am|im) (busy|driving|at work) right now\b|\bcan you call (me )?(another|some other) time\b/;
// A day and/or a time of day, kept whole ("tomorrow at ten"): the callbacks queue reads it in the contact's zone.
const HOUR = "(\\d{1,2}(:\\d{2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)(\\s?(am|pm|a\\.m\\.|p\\.m\\.|o'clock))?";
const DAY = '(the day after tomorrow|tomorrow|tonight|later today|today|this (morning|afternoon|evening)|next week|(next |on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday))';
const AT = `((at|around|after) ${HOUR}|half past \\w+)`;
const WHEN = new RegExp(`\\b(${DAY}( (morning|afternoon|evening))?( ${AT})?|${AT}( ${DAY}( (morning|afternoon|evening))?)?|in (an|a|one|two|three|a few|\\d+) (hour|hours|minutes|days))(?![\\w:])`);
const NOT_INTERESTED = /\bnot interested\b|\bno,? thank you,? (goodbye|bye)\b|\b(i have to|i've got to|gotta) go\b|^(goodbye|bye)\b/;
const WRONG_NUMBER = /\bwrong number\b|\bno one (by|named|called) that\b|\bnobody (by|named|called) that\b/;
const REPEAT = /^(sorry|what|pardon|huh|excuse me)\b[?.!]*$|\b(come again|say that again|repeat (that|the question)|didn't (catch|hear) (that|you))\b/;

/** The time a caller gives for a callback, in their words ("tomorrow at ten"), whole; undefined when they gave none. */
export function spokenTime(text: string): string | undefined {
  return WHEN.exec(text.toLowerCase().replace(/\s+/g, ' '))?.[0];
}

export function recogniseIntent(text: string): CallerIntent {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (DO_NOT_CALL.test(t)) return { type: 'do-not-call' };
  if (HUMAN.test(t)) return { type: 'human' };
  if (CALLBACK.test(t)) {
    const when = spokenTime(t);
    return when ? { type: 'callback', when } : { type: 'callback' };
  }
  if (WRONG_NUMBER.test(t)) return { type: 'wrong-number' };
  if (NOT_INTERESTED.test(t)) return { type: 'not-interested' };
  if (REPEAT.test(t)) return { type: 'repeat' };
  return { type: 'answer' };
}
