import { EmotionLabel } from '../../contracts/emotion';

/** Evidence from cue words and phrases, per non-neutral category (0 = none; ~1 = one clear cue). */
export type CueScores = Record<Exclude<EmotionLabel, 'neutral'>, number>;

export const NO_CUES: CueScores = { happy: 0, frustrated: 0, confused: 0, sad: 0, anxious: 0 };

/** Score a label must beat to move a turn off neutral. */
const NEUTRAL_SCORE = 0.45;
/** Softmax temperature: lower makes the top label's confidence sharper. */
const TEMPERATURE = 0.35;

/**
 * Maps a point in valence/arousal space plus category cues to label scores (the circumplex model:
 * negative + agitated is anger, negative + subdued is sadness; confusion and anxiety mostly need
 * cues because their valence is mild).
 */
export function labelScores(valence: number, arousal: number, cues: CueScores): Record<EmotionLabel, number> {
  const positive = Math.max(0, valence);
  const negative = Math.max(0, -valence);
  return {
    neutral: NEUTRAL_SCORE,
    happy: 1.6 * positive + 0.9 * cues.happy,
    frustrated: negative * (0.5 + 1.2 * arousal) + cues.frustrated,
    sad: 0.9 * negative * (1 - 0.8 * arousal) + cues.sad,
    anxious: 0.3 * negative * arousal + cues.anxious,
    confused: cues.confused,
  };
}

export function softmax(scores: Record<EmotionLabel, number>): Record<EmotionLabel, number> {
  const labels = EmotionLabel.options;
  const max = Math.max(...labels.map((l) => scores[l]));
  const exps = labels.map((l) => Math.exp((scores[l] - max) / TEMPERATURE));
  const total = exps.reduce((a, b) => a + b, 0);
  return Object.fromEntries(labels.map((l, i) => [l, exps[i]! / total])) as Record<EmotionLabel, number>;
}

/** The most probable label and its probability as the confidence. */
export function pickLabel(probabilities: Record<EmotionLabel, number>): { label: EmotionLabel; confidence: number } {
  let label: EmotionLabel = 'neutral';
  for (const l of EmotionLabel.options) if (probabilities[l] > probabilities[label]) label = l;
  return { label, confidence: probabilities[label] };
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
