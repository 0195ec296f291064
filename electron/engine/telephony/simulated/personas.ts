import type { SpeechStyle } from '../../ports/speech';

/**
 * Simulated callers. A persona says what it says in order, one reply per agent utterance, and can
 * also talk over the agent: a backchannel ("uh-huh") or a real interruption at a chosen moment.
 * Replies are spoken by espeak-ng; their text is the reference transcript.
 */

/** One stretch of speech; `pauseAfterMs` lets a caller read a number in groups, `style` get louder and faster. */
export interface SpokenPart {
  text: string;
  pauseAfterMs?: number;
  style?: SpeechStyle;
}

export interface CallerReply {
  parts: SpokenPart[];
}

export interface Overlap {
  /** Which agent utterance (0 = the opening) to talk over. */
  agentTurn: number;
  /** How far into that utterance the caller starts. */
  afterMs: number;
  reply: CallerReply;
}

export type AnswerMode = 'human' | 'machine' | 'busy' | 'no-answer' | 'failed';

export interface Persona {
  id: string;
  label: string;
  description: string;
  answer: AnswerMode;
  ringMs: number;
  /** espeak-ng voice of the caller (the agent's voice differs, which helps people listening in). */
  voice: string;
  wordsPerMinute: number;
  /** replies[i] answers the agent's utterance i. */
  replies: CallerReply[];
  backchannels: Overlap[];
  interruptions: Overlap[];
  /** Background noise level in dBFS (undefined: a clean line). */
  noiseDbfs?: number;
  /** What an answering machine says before the beep. */
  machineGreeting?: string;
  /** What a person says on picking up ("Hello?") before the agent speaks; none: they wait in silence. */
  answerGreeting?: string;
  /** Pause between the agent finishing and the caller answering. */
  responseDelayMs: number;
  /** The caller hangs up if the agent says nothing for this long after its last reply. */
  idleHangupMs: number;
}

const say = (...parts: Array<string | SpokenPart>): CallerReply => ({ parts: parts.map((p) => (typeof p === 'string' ? { text: p } : p)) });

const base = {
  answer: 'human' as AnswerMode,
  ringMs: 600,
  voice: 'en-gb',
  wordsPerMinute: 175,
  backchannels: [] as Overlap[],
  interruptions: [] as Overlap[],
  responseDelayMs: 350,
  idleHangupMs: 8_000,
};

/** How an annoyed caller sounds: louder, faster, higher. */
const ANGRY: SpeechStyle = { rate: 1.35, volume: 1.9, pitch: 1.4 };

export const PERSONAS: Persona[] = [
  {
    ...base,
    id: 'cooperative',
    label: 'Cooperative',
    description: 'Answers every question briefly.',
    replies: [say('Yes, that sounds good.'), say('Tuesday works best for me.'), say('Mornings, please.'), say('Thank you, bye.')],
  },
  {
    ...base,
    id: 'card-reader',
    label: 'Reads a card number',
    description: 'Reads a payment card number aloud (redaction must mask and silence it).',
    voice: 'en-us',
    replies: [say('Yes, that sounds good.'), say('My card number is 4 1 1 1, 1 1 1 1, 1 1 1 1, 1 1 1 1.'), say('Mornings, please.'), say('Thank you, bye.')],
  },
  {
    ...base,
    id: 'declines-recording',
    label: 'Declines recording',
    description: 'Says no when asked whether the call may be recorded, then answers the questions.',
    replies: [say("No, please don't record this."), say('Yes, that sounds good.'), say('Tuesday works best for me.'), say('Mornings, please.'), say('Thank you, bye.')],
  },
  {
    ...base,
    id: 'number-reader',
    label: 'Reads a phone number',
    description: 'Gives a phone number in groups with long pauses; must not be cut off.',
    voice: 'en-us',
    replies: [
      say({ text: 'Sure, my number is 5 5 5,', pauseAfterMs: 900 }, { text: '8 6 7,', pauseAfterMs: 900 }, { text: '5 3 0 9.' }),
      say('Thursday.'),
      say('Afternoon is better.'),
    ],
  },
  {
    ...base,
    id: 'interrupter',
    label: 'Interrupts',
    description: 'Talks over the agent mid-sentence, then answers.',
    voice: 'en-gb-x-rp',
    interruptions: [{ agentTurn: 1, afterMs: 700, reply: say('Sorry, Wednesday would be better for me.') }],
    replies: [say('Yes, I would like that.'), say('Wednesday.'), say('Morning.')],
  },
  {
    ...base,
    id: 'says-wait',
    label: 'Says "wait"',
    description: 'Stops the agent mid-sentence with one word ("Wait."), then answers.',
    voice: 'en-us',
    interruptions: [{ agentTurn: 1, afterMs: 900, reply: say('Wait.') }],
    replies: [say('Yes please.'), say('Thursday.'), say('Morning.')],
  },
  {
    ...base,
    id: 'backchanneler',
    label: 'Says uh-huh',
    description: 'Murmurs "uh-huh" while the agent talks; that must not stop the agent.',
    voice: 'en-us',
    backchannels: [{ agentTurn: 0, afterMs: 1_200, reply: say('uh-huh') }],
    replies: [say('Yes please.'), say('Monday is fine.'), say('Late afternoon.')],
  },
  {
    ...base,
    id: 'do-not-call',
    label: 'Do not call',
    description: 'Asks to be taken off the list.',
    replies: [say('Please take me off your list and do not call me again.')],
  },
  {
    ...base,
    id: 'callback',
    label: 'Call back later',
    description: 'Busy now, asks for a call tomorrow.',
    voice: 'en-us',
    replies: [say("I'm driving right now, can you call me back tomorrow morning?")],
  },
  {
    ...base,
    id: 'wants-human',
    label: 'Wants a person',
    description: 'Asks to speak to a real person.',
    replies: [say('Can I speak to a real person please?')],
  },
  {
    ...base,
    id: 'waits-for-person',
    label: 'Waits for a person',
    description: 'Asks for a real person, then holds on quietly until someone comes.',
    idleHangupMs: 120_000,
    replies: [say('Can I speak to a real person please?')],
  },
  {
    ...base,
    id: 'gives-up-waiting',
    label: 'Gives up waiting',
    description: 'Asks for a real person, then hangs up after five quiet seconds on hold.',
    idleHangupMs: 5_000,
    replies: [say('Can I speak to a real person please?')],
  },
  {
    ...base,
    id: 'person-then-callback',
    label: 'Wants a person, then a callback',
    description: 'Asks for a real person, holds; when nobody is free, asks to be called back tomorrow at ten.',
    idleHangupMs: 30_000,
    // replies[1] answers "I'm getting a colleague" with silence: they hold.
    replies: [say('Can I speak to a real person please?'), say(), say('Tomorrow at ten, please.')],
  },
  {
    ...base,
    id: 'noisy-line',
    label: 'Noisy line',
    description: 'Cooperative, on a line with background hiss.',
    noiseDbfs: -42,
    replies: [say('Yes, go ahead.'), say('Friday.'), say('Morning.')],
  },
  {
    ...base,
    id: 'voicemail',
    label: 'Answering machine',
    description: 'A machine answers; the agent leaves the campaign voicemail.',
    answer: 'machine',
    machineGreeting: "Hi, you've reached Pat. I can't take your call right now, please leave a message.",
    replies: [],
  },
  { ...base, id: 'busy', label: 'Busy', description: 'The line is busy.', answer: 'busy', replies: [] },
  { ...base, id: 'no-answer', label: 'No answer', description: 'Rings out.', answer: 'no-answer', ringMs: 1_500, replies: [] },
  {
    ...base,
    id: 'gets-angry',
    label: 'Gets angry',
    description: 'Calm at first, then louder, faster and annoyed (tests the emotion meter and the frustration alert).',
    replies: [
      say('Hello. Yes, this is Jo speaking.'),
      say('I guess so, maybe later in the week.'),
      say({ text: 'No! I already told you this! This is ridiculous and I am really annoyed!', style: ANGRY }),
      say({ text: 'Stop wasting my time! This is terrible, I hate these calls!', style: ANGRY }),
      say({ text: 'I am furious. Just put me through to a real person right now!', style: ANGRY }),
      say('Goodbye.'),
    ],
  },
];

export function findPersona(id: string): Persona | undefined {
  return PERSONAS.find((p) => p.id === id);
}

/** A stable persona for a number nobody assigned one to (same number, same caller). */
export function personaForNumber(phone: string, pool: readonly Persona[] = PERSONAS.filter((p) => p.answer === 'human')): Persona {
  let hash = 0;
  for (const ch of phone) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return pool[hash % pool.length]!;
}
