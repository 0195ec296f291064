import { z } from 'zod';

/** Same shape as campaigns' EntityId; not imported, because campaigns.ts imports EmotionSettings from here. */
const EntityId = z.string().min(1).max(64);

/**
 * How a caller sounds, per turn. "happy" covers happy/interested, "frustrated" covers
 * frustrated/angry: a call center acts the same way on either member of each pair.
 */
export const EmotionLabel = z.enum(['neutral', 'happy', 'confused', 'frustrated', 'sad', 'anxious']);
export type EmotionLabel = z.infer<typeof EmotionLabel>;

export const EMOTION_LABEL_TEXT: Record<EmotionLabel, string> = {
  neutral: 'Neutral',
  happy: 'Happy / interested',
  confused: 'Confused',
  frustrated: 'Frustrated / angry',
  sad: 'Sad',
  anxious: 'Anxious',
};

const unit = z.number().min(0).max(1);
const signedUnit = z.number().min(-1).max(1);

/** What the words alone say (lexicon model offline, or an LLM when one is installed). */
export const TextEmotion = z.object({
  label: EmotionLabel,
  confidence: unit,
  /** -1 (very negative) .. +1 (very positive). */
  valence: signedUnit,
  /** 0 (calm) .. 1 (agitated), from wording and punctuation; voice is the better source. */
  arousal: unit,
  source: z.enum(['lexicon', 'llm']),
});
export type TextEmotion = z.infer<typeof TextEmotion>;

/** Prosody of one utterance, and how it compares with the caller's own first turns. */
export const VoiceFeatures = z.object({
  durationMs: z.number().nonnegative(),
  energyDb: z.number(),
  f0MeanHz: z.number().nullable(),
  f0RangeHz: z.number().nullable(),
  /** Syllable nuclei per second of speech, from the audio. */
  syllableRate: z.number().nonnegative(),
  /** Words per second of speech, when a transcript is available. */
  wordsPerSecond: z.number().nonnegative().nullable(),
  pauseRatio: unit,
  /** 0..1; 0.5 is the caller's own baseline. */
  arousal: unit,
  /** True while the turn is still one of the caller's baseline turns. */
  baseline: z.boolean(),
});
export type VoiceFeatures = z.infer<typeof VoiceFeatures>;

/** The fused reading of one caller turn plus the call's smoothed track at that point. */
export const TurnEmotion = z.object({
  callId: EntityId,
  seq: z.number().int().nonnegative(),
  at: z.string(),
  label: EmotionLabel,
  confidence: unit,
  valence: signedUnit,
  arousal: unit,
  text: TextEmotion,
  voice: VoiceFeatures.nullable(),
  smoothed: z.object({ label: EmotionLabel, valence: signedUnit, arousal: unit, frustration: unit }),
});
export type TurnEmotion = z.infer<typeof TurnEmotion>;

/**
 * What the agent says in its opening when the campaign's disclosure is on (the default): the call
 * is automated, may be recorded, and its emotion is analysed (EU AI Act Art. 50; US AI-voice and
 * recording-consent rules).
 */
export const DISCLOSURE_LINE = 'This is an automated call. It may be recorded, and we use emotion analysis to serve you better.';

/** Per-campaign behaviour when the caller's frustration keeps rising. */
export const EmotionSettings = z.object({
  /** Acknowledge, slow down and offer a human when frustration lasts `frustrationTurns` turns. */
  enabled: z.boolean().default(true),
  frustrationTurns: z.number().int().min(1).max(10).default(2),
  offerHuman: z.boolean().default(true),
  slowDown: z.boolean().default(true),
});
export type EmotionSettings = z.infer<typeof EmotionSettings>;
export const DEFAULT_EMOTION_SETTINGS: EmotionSettings = EmotionSettings.parse({});

export const FrustrationAlert = z.object({
  callId: EntityId,
  seq: z.number().int().nonnegative(),
  at: z.string(),
  /** Consecutive caller turns that read as frustrated. */
  turns: z.number().int().positive(),
  frustration: unit,
  /** What the agent was told to do. */
  actions: z.array(z.enum(['acknowledge', 'slow_down', 'offer_human'])),
});
export type FrustrationAlert = z.infer<typeof FrustrationAlert>;

export const emotionCommands = {
  /** Every stored reading of a call, in turn order (the meter's history). */
  'emotion.track': {
    request: z.object({ callId: EntityId }).strict(),
    response: z.array(TurnEmotion),
  },
  /** The offline text model on any sentence (for trying wording, and for the console's tooltip). */
  'emotion.analyzeText': {
    request: z.object({ text: z.string().max(5_000) }).strict(),
    response: TextEmotion,
  },
} as const;

export const emotionEvents = {
  /** One caller turn was read: drives the console's emotion meter. */
  'call.emotion': TurnEmotion,
  /** Frustration lasted the campaign's number of turns: the console alerts a desk agent. */
  'call.frustration': FrustrationAlert,
} as const;
