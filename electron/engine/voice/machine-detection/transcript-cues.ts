/** Phrases only an answering machine (or a voicemail service) says in its first seconds. */
const MACHINE_CUES: Array<[RegExp, string]> = [
  [/\bleave (me |us )?(a |your )?(brief |short |detailed )?(message|name and number|name)\b/, 'leave a message'],
  [/\b(after|at) the (tone|beep|signal)\b/, 'after the tone'],
  [/\b(is |are )?(not available|unavailable)\b/, 'not available'],
  [/\bvoice ?mail\b/, 'voicemail'],
  [/\bmail ?box\b/, 'mailbox'],
  [/\b(can('|no)?t|cannot|unable to) (take|answer|get to|come to) (your call|the phone|you)\b/, "can't take your call"],
  [/\b(you('| ha)ve|you have) reached\b/, 'you have reached'],
  [/\brecord your message\b/, 'record your message'],
  [/\bget back to you\b/, 'get back to you'],
];

/** A person offering to take a message (a receptionist) says these; they cancel the cues above. */
const PERSON_OFFERS = /\b((would|do) you (like|want) to|can i take|may i take|shall i take|can i get)\b/;

/** The first machine cue in a transcript, or undefined. */
export function machineCue(text: string): string | undefined {
  const clean = text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ');
  if (PERSON_OFFERS.test(clean)) return undefined;
  for (const [pattern, name] of MACHINE_CUES) if (pattern.test(clean)) return name;
  return undefined;
}
