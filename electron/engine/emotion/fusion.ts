import { EmotionLabel, type TextEmotion, type VoiceFeatures } from '../../contracts/emotion';
import { clamp, labelScores, NO_CUES, pickLabel, softmax, type CueScores } from './label-scores';

export interface FusedReading {
  label: EmotionLabel;
  confidence: number;
  valence: number;
  arousal: number;
  probabilities: Record<EmotionLabel, number>;
}

/** How much arousal comes from the voice once the caller's baseline is known (the rest from wording). */
const VOICE_AROUSAL_WEIGHT = 0.75;
/** While the voice is still defining the baseline it reads 0.5 by construction, so trust it less. */
const BASELINE_VOICE_AROUSAL_WEIGHT = 0.4;

/**
 * One turn's label from text and voice: valence from the words (a phone line's prosody carries
 * little reliable valence), arousal mostly from the voice, category cues from the words. An LLM
 * reading has no cue list, so its own label stands in as the cue.
 */
export function fuseTurn(text: TextEmotion & { cues?: CueScores }, voice: VoiceFeatures | null): FusedReading {
  const valence = clamp(text.valence, -1, 1);
  const voiceWeight = voice ? (voice.baseline ? BASELINE_VOICE_AROUSAL_WEIGHT : VOICE_AROUSAL_WEIGHT) : 0;
  const arousal = clamp(voiceWeight * (voice?.arousal ?? 0) + (1 - voiceWeight) * text.arousal, 0, 1);
  const cues = text.cues ?? cuesFromLabel(text);
  const probabilities = softmax(labelScores(valence, arousal, cues));
  return { ...pickLabel(probabilities), valence, arousal, probabilities };
}

function cuesFromLabel(text: TextEmotion): CueScores {
  if (text.label === 'neutral') return NO_CUES;
  return { ...NO_CUES, [text.label]: 1.2 * text.confidence };
}

/** Weight of the newest turn in the per-call track (exponential smoothing). */
const SMOOTHING = 0.5;

export interface SmoothedTrack {
  label: EmotionLabel;
  valence: number;
  arousal: number;
  /** Smoothed probability that the caller is frustrated. */
  frustration: number;
}

/** A per-call exponentially smoothed track, so one stray turn does not swing the meter. */
export class EmotionTrack {
  private probabilities: Record<EmotionLabel, number> | undefined;
  private valence = 0;
  private arousal = 0.5;

  push(reading: FusedReading): SmoothedTrack {
    if (!this.probabilities) {
      this.probabilities = { ...reading.probabilities };
      this.valence = reading.valence;
      this.arousal = reading.arousal;
    } else {
      for (const label of EmotionLabel.options) {
        this.probabilities[label] = SMOOTHING * reading.probabilities[label] + (1 - SMOOTHING) * this.probabilities[label];
      }
      this.valence = SMOOTHING * reading.valence + (1 - SMOOTHING) * this.valence;
      this.arousal = SMOOTHING * reading.arousal + (1 - SMOOTHING) * this.arousal;
    }
    return this.current()!;
  }

  current(): SmoothedTrack | undefined {
    if (!this.probabilities) return undefined;
    return {
      label: pickLabel(this.probabilities).label,
      valence: this.valence,
      arousal: this.arousal,
      frustration: this.probabilities.frustrated,
    };
  }
}
