import { describe, expect, it } from 'vitest';
import { TextEmotion } from '../../../electron/contracts/emotion';
import { LexiconEmotionClassifier, LlmEmotionClassifier, TEXT_EMOTION_JSON_SCHEMA } from '../../../electron/engine/emotion/text-classifiers';
import type { LanguageModel } from '../../../electron/engine/ports/llm';

/** A test double of the LanguageModel port that answers completeJson with a fixed value. */
function fakeModel(answer: () => unknown): LanguageModel & { prompts: string[]; schemas: unknown[] } {
  const prompts: string[] = [];
  const schemas: unknown[] = [];
  return {
    name: 'fake',
    capabilities: { toolCalls: false, jsonSchema: true, gpu: false },
    prompts,
    schemas,
    startConversation: () => Promise.reject(new Error('not used')),
    completeJson: async (prompt, schema) => {
      prompts.push(prompt);
      schemas.push(schema);
      return answer();
    },
    dispose: async () => undefined,
  };
}

describe('text emotion classifiers', () => {
  it('lexicon classifier returns a contract-valid reading', async () => {
    const reading = await new LexiconEmotionClassifier().classify('This is ridiculous!');
    expect(TextEmotion.parse(reading)).toMatchObject({ label: 'frustrated', source: 'lexicon' });
  });

  it('LLM classifier sends the utterance with the JSON schema and clamps the answer', async () => {
    const model = fakeModel(() => ({ label: 'anxious', valence: -1.4, arousal: 0.7, confidence: 1.2 }));
    const reading = await new LlmEmotionClassifier(model).classify('What if I lose the house?');
    expect(model.prompts[0]).toContain('What if I lose the house?');
    expect(model.schemas[0]).toBe(TEXT_EMOTION_JSON_SCHEMA);
    expect(TextEmotion.parse(reading)).toEqual({ label: 'anxious', valence: -1, arousal: 0.7, confidence: 1, source: 'llm' });
  });

  it('falls back to the lexicon on an unusable answer or a model failure, and says so', async () => {
    const failures: unknown[] = [];
    const bad = new LlmEmotionClassifier(fakeModel(() => ({ label: 'ecstatic', valence: 0.9 })), (e) => failures.push(e));
    expect(await bad.classify('That sounds great!')).toMatchObject({ label: 'happy', source: 'lexicon' });
    const broken = new LlmEmotionClassifier(
      fakeModel(() => {
        throw new Error('model crashed');
      }),
      (e) => failures.push(e),
    );
    expect(await broken.classify('I am so confused.')).toMatchObject({ label: 'confused', source: 'lexicon' });
    expect(failures).toHaveLength(2);
  });
});
