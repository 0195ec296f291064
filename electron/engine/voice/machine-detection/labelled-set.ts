import type { TextToSpeech } from '../../ports/speech';
import { decodeG711, encodeG711 } from '../../audio/g711';
import { concatPcm } from '../../audio/pcm';
import { Resampler } from '../../audio/resample';

/**
 * A labelled set for answering-machine detection, generated: espeak-ng voicemail greetings followed by
 * synthetic beeps, and people answering the phone ("Hello?") then waiting, some over background
 * noise. Everything goes through G.711 as on a phone line. Texts and voices are split in two halves:
 * thresholds are tuned on one and accuracy is reported on the other, whose texts and voices were
 * never used for tuning.
 */

export type Split = 'tuning' | 'held-out';

export interface LabelledSample {
  id: string;
  label: 'human' | 'machine';
  split: Split;
  text: string;
  /** A person answering with a full business greeting (as long as a machine's first sentence). */
  businessGreeting: boolean;
  voice: string;
  wordsPerMinute: number;
  noiseDbfs: number | null;
  /** The beep after a greeting. */
  beep: { hz: number; ms: number; startMs: number; endMs: number } | null;
  sampleRate: number;
  audio: Int16Array;
  /** Where the speech is in the audio (for transcript timing). */
  speechStartMs: number;
  speechEndMs: number;
}

const MACHINE_TEXTS: Record<Split, string[]> = {
  tuning: [
    "Hi, you've reached Pat. I can't take your call right now, please leave a message after the tone.",
    'Hello, this is the Garcia family. We are not available at the moment. Leave your name and number and we will call you back.',
    'The person you are calling is not available. Please record your message after the tone.',
    "Hey, it's Mike. Leave a message.",
    'Thank you for calling Northside Dental. Our office is closed. Please leave a detailed message and we will return your call.',
    'You have reached the voicemail of Jordan Lee. Please leave a message.',
  ],
  'held-out': [
    "Hi, this is Sam. Sorry I missed you. Leave me a message and I'll get back to you soon.",
    'The number you have dialed is not available. At the tone, please record your message. When you have finished, hang up.',
    "Hello, you've reached Alex and Maria. We can't come to the phone right now. Please leave a message.",
    "It's Chris, leave a message.",
    'Welcome to the mailbox of Dana Brooks. I am away from my desk. Please leave your name, number and a short message.',
    'Hello. Nobody is home right now. Talk after the beep.',
  ],
};

/** The last text of each half is a receptionist's full business greeting: a person who talks for 3-4 s. */
const HUMAN_TEXTS: Record<Split, string[]> = {
  tuning: ['Hello?', 'Yes, who is this?', 'Hi, this is Dana.', 'Hello, Morgan speaking.', 'Yeah?', 'Good morning, Riley here.', 'Good afternoon, Northside Dental, this is Kim, how can I help you?'],
  'held-out': ['Hello.', 'Hi, who is calling?', 'This is Taylor.', 'Hello, yes?', 'Speaking.', 'Hey there, Jamie speaking.', 'Thank you for calling Brookfield Motors, Alex speaking, how may I help?'],
};

const VOICES: Record<Split, string[]> = {
  tuning: ['en-us', 'en-gb-scotland+m3'],
  'held-out': ['en-gb-x-rp+f3', 'en-029'],
};

const SPEEDS: Record<Split, number[]> = { tuning: [150, 185], 'held-out': [140, 175] };
const BEEPS = [
  { hz: 1_000, ms: 400 },
  { hz: 440, ms: 250 },
  { hz: 1_400, ms: 700 },
  { hz: 850, ms: 1_000 },
  { hz: 1_900, ms: 300 },
  { hz: 600, ms: 500 },
];

export interface LabelledSetOptions {
  sampleRate?: 8_000 | 16_000;
  splits?: Split[];
  /** Use only the first N texts of each group (small sets for unit tests). */
  textsPerGroup?: number;
  voicesPerSplit?: number;
  speedsPerSplit?: number;
}

/** Deterministic noise (xorshift32) so the set is the same every run. */
function addNoise(samples: Int16Array, dbfs: number, seed: number): void {
  let state = seed >>> 0 || 1;
  const amplitude = 32768 * 10 ** (dbfs / 20) * Math.sqrt(3);
  for (let i = 0; i < samples.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const v = samples[i]! + Math.round(((state / 0x1_0000_0000) * 2 - 1) * amplitude);
    samples[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}

function tone(hz: number, ms: number, sampleRate: number, amplitude = 9_000): Int16Array {
  const n = Math.round((ms * sampleRate) / 1000);
  // 5 ms fades, as a real beep has no click at its edges.
  const fade = Math.round(sampleRate * 0.005);
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.min(1, i / fade, (n - i) / fade) * Math.sin((2 * Math.PI * hz * i) / sampleRate)));
}

const silenceMs = (ms: number, rate: number) => new Int16Array(Math.round((ms * rate) / 1000));

async function speak(tts: TextToSpeech, text: string, voice: string, wpm: number, rate: number): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  let resampler: Resampler | undefined;
  for await (const chunk of tts.synthesize(text, { voice, style: { rate: wpm / 165 } })) {
    resampler ??= new Resampler(chunk.sampleRate, rate);
    parts.push(resampler.process(chunk.samples));
  }
  if (resampler) parts.push(resampler.process(new Int16Array(64)));
  return trimSilence(concatPcm(parts));
}

/** espeak-ng pads its output; the padding would count as part of the caller's pause. */
function trimSilence(samples: Int16Array): Int16Array {
  let start = 0;
  let end = samples.length;
  while (start < end && Math.abs(samples[start]!) < 200) start++;
  while (end > start && Math.abs(samples[end - 1]!) < 200) end--;
  return samples.subarray(start, end);
}

/** Counts per label and split, before any audio is made (for reports). */
export function labelledSetPlan(options: LabelledSetOptions = {}): Array<{ label: 'human' | 'machine'; split: Split; text: string; voice: string; wpm: number; index: number }> {
  const plan: Array<{ label: 'human' | 'machine'; split: Split; text: string; voice: string; wpm: number; index: number }> = [];
  for (const split of options.splits ?? (['tuning', 'held-out'] as Split[])) {
    const voices = VOICES[split].slice(0, options.voicesPerSplit);
    const speeds = SPEEDS[split].slice(0, options.speedsPerSplit);
    for (const [label, texts] of [['machine', MACHINE_TEXTS[split]], ['human', HUMAN_TEXTS[split]]] as const) {
      for (const text of texts.slice(0, options.textsPerGroup)) for (const voice of voices) for (const wpm of speeds) plan.push({ label, split, text, voice, wpm, index: plan.length });
    }
  }
  return plan;
}

/** Synthesizes the set (one espeak-ng run per sample). */
export async function buildLabelledSet(tts: TextToSpeech, options: LabelledSetOptions = {}): Promise<LabelledSample[]> {
  const rate = options.sampleRate ?? 8_000;
  const samples: LabelledSample[] = [];
  for (const item of labelledSetPlan(options)) {
    const i = item.index;
    const speech = await speak(tts, item.text, item.voice, item.wpm, rate);
    const leadMs = 150 + ((i * 137) % 600);
    const speechStartMs = leadMs;
    const speechEndMs = leadMs + (speech.length * 1000) / rate;
    const noiseDbfs = i % 2 === 1 ? -50 + ((i * 7) % 15) : null;
    let beep: LabelledSample['beep'] = null;
    let parts: Int16Array[];
    if (item.label === 'machine') {
      const b = BEEPS[i % BEEPS.length]!;
      const gapMs = 250 + ((i * 53) % 600);
      beep = { ...b, startMs: Math.round(speechEndMs + gapMs), endMs: Math.round(speechEndMs + gapMs + b.ms) };
      parts = [silenceMs(leadMs, rate), speech, silenceMs(gapMs, rate), tone(b.hz, b.ms, rate), silenceMs(1_500, rate)];
    } else if (i % 3 === 0) {
      // Nobody answered their first "Hello?": they say it again.
      parts = [silenceMs(leadMs, rate), speech, silenceMs(1_300, rate), speech, silenceMs(2_500, rate)];
    } else {
      parts = [silenceMs(leadMs, rate), speech, silenceMs(3_000, rate)];
    }
    const audio = concatPcm(parts);
    if (noiseDbfs !== null) addNoise(audio, noiseDbfs, 0x9e3779b9 ^ i);
    const line = decodeG711('mulaw', encodeG711('mulaw', audio));
    samples.push({
      id: `${item.split}/${item.label}/${i}`,
      label: item.label,
      split: item.split,
      text: item.text,
      businessGreeting: item.label === 'human' && HUMAN_TEXTS[item.split].at(-1) === item.text,
      voice: item.voice,
      wordsPerMinute: item.wpm,
      noiseDbfs,
      beep,
      sampleRate: rate,
      audio: line,
      speechStartMs,
      speechEndMs,
    });
  }
  return samples;
}
