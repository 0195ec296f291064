import { z } from 'zod';
import { EmotionLabel, type TextEmotion } from '../../contracts/emotion';
import type { LanguageModel } from '../ports/llm';
import type { CueScores } from './label-scores';
import { analyzeTextLexicon } from './text-lexicon';

export type TextReading = TextEmotion & { cues?: CueScores };

/** Reads the emotion in one caller utterance. */
export interface TextEmotionClassifier {
  readonly name: string;
  classify(text: string, options?: { signal?: AbortSignal }): Promise<TextReading>;
}

/** The offline model: no download, microseconds per turn. */
export class LexiconEmotionClassifier implements TextEmotionClassifier {
  readonly name = 'lexicon';
  async classify(text: string): Promise<TextReading> {
    return analyzeTextLexicon(text);
  }
}

/** JSON schema the LLM's output is constrained to (grammar-enforced by local models, strict mode by APIs). */
export const TEXT_EMOTION_JSON_SCHEMA = {
  type: 'object',
  properties: {
    label: { enum: EmotionLabel.options },
    // Ranges are in the descriptions: grammar-constrained local models do not enforce minimum/maximum.
    valence: { type: 'number', description: '-1 very negative .. 1 very positive' },
    arousal: { type: 'number', description: '0 calm .. 1 agitated' },
    confidence: { type: 'number', description: '0 .. 1' },
  },
  required: ['label', 'valence', 'arousal', 'confidence'],
  additionalProperties: false,
} as const;

/** Numbers are clamped rather than rejected: a grammar keeps the type but not always the range. */
const LlmEmotionOutput = z.object({
  label: EmotionLabel,
  valence: z.number().transform((v) => Math.max(-1, Math.min(1, v))),
  arousal: z.number().transform((v) => Math.max(0, Math.min(1, v))),
  confidence: z.number().transform((v) => Math.max(0, Math.min(1, v))),
});

export function emotionPrompt(text: string): string {
  return [
    'You label the emotion of one thing a caller said on a phone call with a company.',
    `Labels: neutral; happy (also interested, pleased); confused; frustrated (also angry, annoyed); sad; anxious (also worried).`,
    'valence: -1 very negative .. 1 very positive. arousal: 0 calm .. 1 agitated. confidence: 0 .. 1.',
    'Answer with JSON only.',
    `Caller: """${text.replace(/"""/g, '"')}"""`,
  ].join('\n');
}

/**
 * An installed LLM reads the utterance; if its answer is unusable (malformed, out of vocabulary,
 * model failure) the lexicon's reading is used, so a turn is never lost.
 */
export class LlmEmotionClassifier implements TextEmotionClassifier {
  readonly name: string;
  private readonly fallback = new LexiconEmotionClassifier();

  constructor(
    private readonly model: LanguageModel,
    private readonly onFallback: (error: unknown) => void = () => undefined,
  ) {
    this.name = `llm:${model.name}`;
  }

  async classify(text: string, options?: { signal?: AbortSignal }): Promise<TextReading> {
    try {
      const raw = await this.model.completeJson(emotionPrompt(text), TEXT_EMOTION_JSON_SCHEMA, { signal: options?.signal, maxTokens: 80 });
      const parsed = LlmEmotionOutput.parse(raw);
      return { ...parsed, source: 'llm' };
    } catch (error) {
      if (options?.signal?.aborted) throw error;
      this.onFallback(error);
      return this.fallback.classify(text);
    }
  }
}
