import { describe, expect, it } from 'vitest';
import { analyzeTextLexicon } from '../../../electron/engine/emotion/text-lexicon';
import { LABELLED_SENTENCES } from './labelled-sentences';

describe('lexicon text emotion model', () => {
  it('labels the labelled caller sentences with at least 85% accuracy', () => {
    const misses: string[] = [];
    for (const [text, expected] of LABELLED_SENTENCES) {
      const got = analyzeTextLexicon(text).label;
      if (got !== expected) misses.push(`  expected ${expected}, got ${got}: ${text}`);
    }
    const correct = LABELLED_SENTENCES.length - misses.length;
    const accuracy = correct / LABELLED_SENTENCES.length;
    console.log(
      `[emotion] lexicon accuracy ${(accuracy * 100).toFixed(1)}% (${correct}/${LABELLED_SENTENCES.length} labelled sentences)` +
        (misses.length ? `\n${misses.join('\n')}` : ''),
    );
    expect(LABELLED_SENTENCES.length).toBeGreaterThanOrEqual(40);
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('flips valence under negation', () => {
    const good = analyzeTextLexicon('The offer is good.').valence;
    const notGood = analyzeTextLexicon('The offer is not good.').valence;
    expect(good).toBeGreaterThan(0.3);
    expect(notGood).toBeLessThan(0);
    expect(analyzeTextLexicon("I don't like it").valence).toBeLessThan(0);
  });

  it('strengthens with intensifiers and weakens with dampeners', () => {
    const plain = analyzeTextLexicon('That is helpful.').valence;
    const very = analyzeTextLexicon('That is very helpful.').valence;
    const extremely = analyzeTextLexicon('That is extremely helpful!').valence;
    const kindOf = analyzeTextLexicon('That is kind of helpful.').valence;
    expect(very).toBeGreaterThan(plain);
    expect(extremely).toBeGreaterThan(very);
    expect(kindOf).toBeLessThan(plain);
    expect(kindOf).toBeGreaterThan(0);
  });

  it('weights the clause after "but" more than the one before it', () => {
    expect(analyzeTextLexicon('The price is good but the service is terrible.').valence).toBeLessThan(0);
    expect(analyzeTextLexicon('The service is terrible but the price is good.').valence).toBeGreaterThan(0);
  });

  it('reads ALL CAPS and exclamation marks as stronger and more agitated', () => {
    const calm = analyzeTextLexicon('this is bad');
    const shouted = analyzeTextLexicon('this is BAD!!!');
    expect(shouted.valence).toBeLessThan(calm.valence);
    expect(shouted.arousal).toBeGreaterThan(calm.arousal);
  });

  it('keeps every score in range on odd input', () => {
    for (const text of ['', '   ', '!!!???', 'ééé ñ 漢字', 'no no no no no', 'very very very very good'.repeat(50)]) {
      const r = analyzeTextLexicon(text);
      expect(r.valence).toBeGreaterThanOrEqual(-1);
      expect(r.valence).toBeLessThanOrEqual(1);
      expect(r.arousal).toBeGreaterThanOrEqual(0);
      expect(r.arousal).toBeLessThanOrEqual(1);
      expect(r.confidence).toBeGreaterThan(0);
    }
    expect(analyzeTextLexicon('').label).toBe('neutral');
  });
});
