/**
 * What a supervisor's whisper can mean to the scripted agent (here so the console can say so while
 * it is typed, and the engine decides the same way). A script cannot reason about free
 * text, and a whisper must never be spoken to the caller, so a whisper either names one of the
 * script's moves (recognised by plain patterns) or is refused with the reason.
 */
export type WhisperMove =
  | { type: 'ask'; question: number }
  | { type: 'next' }
  | { type: 'offer-callback' }
  | { type: 'close' };

export type WhisperReading = { move: WhisperMove; detail: string } | { move: null; detail: string };

export const WHISPER_REFUSED =
  'Not sent: the scripted agent never says a whisper to the caller. It can skip to a question ("ask about the weekday"), move on ("next question"), offer a callback or close the call; to say something else, take over.';

const CLOSE = /\b((close|end|finish) (the |this )?call|wrap( it| things)? up|end it|hang up|say goodbye|let (them|him|her) go)\b/;
const CALLBACK = /\b(call ?back|call (them|him|her) back|ring (them|him|her) back|another time|later)\b/;
const NEXT = /\b(next question|move on|skip( it| this( one| question)?)?$|skip (it|this)\b|go on|next one)\b/;
const ASK = /\b(ask|skip to|go to|jump to|move to|about)\b/;

const STOP_WORDS = new Set(['the', 'a', 'an', 'to', 'of', 'and', 'or', 'you', 'your', 'them', 'him', 'her', 'about', 'ask', 'skip', 'go', 'jump', 'move', 'question', 'which', 'what', 'would', 'like', 'do', 'does', 'is', 'are', 'for', 'on', 'in', 'it', 'best', 'suits', 'now']);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map((w) => w.replace(/s$/, ''));
}

/** The question a whisper names, by the words they share (at least one word that is not filler). */
function namedQuestion(text: string, questions: string[]): number | undefined {
  const wanted = new Set(words(text));
  let best: { index: number; score: number } | undefined;
  questions.forEach((question, index) => {
    const score = words(question).filter((w) => wanted.has(w)).length;
    if (score > 0 && (!best || score > best.score)) best = { index, score };
  });
  return best?.index;
}

/** Reads a whisper as one of the script's moves, or refuses it. */
export function readWhisper(text: string, questions: string[]): WhisperReading {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (ASK.test(t)) {
    const index = namedQuestion(t, questions);
    if (index !== undefined) return { move: { type: 'ask', question: index }, detail: `The scripted agent will ask question ${index + 1} next: "${questions[index]}"` };
  }
  if (NEXT.test(t)) return { move: { type: 'next' }, detail: 'The scripted agent will move on to the next question' };
  if (CALLBACK.test(t)) return { move: { type: 'offer-callback' }, detail: 'The scripted agent will offer to call back at a time the caller chooses' };
  if (CLOSE.test(t)) return { move: { type: 'close' }, detail: 'The scripted agent will close the call politely in its next reply' };
  return { move: null, detail: WHISPER_REFUSED };
}
