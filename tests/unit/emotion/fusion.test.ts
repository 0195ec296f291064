import { describe, expect, it } from 'vitest';
import { DEFAULT_EMOTION_SETTINGS, type TextEmotion, type VoiceFeatures } from '../../../electron/contracts/emotion';
import { FrustrationTracker, SLOWER_SPEAKING_RATE } from '../../../electron/engine/emotion/frustration';
import { EmotionTrack, fuseTurn } from '../../../electron/engine/emotion/fusion';
import { NO_CUES } from '../../../electron/engine/emotion/label-scores';
import { analyzeTextLexicon } from '../../../electron/engine/emotion/text-lexicon';

const voice = (arousal: number, baseline = false): VoiceFeatures => ({
  durationMs: 2000,
  energyDb: -20,
  f0MeanHz: 150,
  f0RangeHz: 40,
  syllableRate: 4,
  wordsPerSecond: 2.5,
  pauseRatio: 0.1,
  arousal,
  baseline,
});
const text = (valence: number, arousal = 0.35): TextEmotion & { cues: typeof NO_CUES } => ({
  label: 'neutral',
  confidence: 0.5,
  valence,
  arousal,
  source: 'lexicon',
  cues: NO_CUES,
});

describe('fusion of text and voice', () => {
  it('takes valence from the words and arousal mostly from the voice', () => {
    const fused = fuseTurn(text(-0.6, 0.3), voice(0.9));
    expect(fused.valence).toBe(-0.6);
    expect(fused.arousal).toBeCloseTo(0.75 * 0.9 + 0.25 * 0.3, 5);
  });

  it('reads the same negative words as frustrated when agitated and sad when subdued', () => {
    expect(fuseTurn(text(-0.6), voice(0.9)).label).toBe('frustrated');
    expect(fuseTurn(text(-0.6), voice(0.1)).label).toBe('sad');
  });

  it('reads positive words as happy and plain words as neutral whatever the voice does', () => {
    expect(fuseTurn(text(0.6), voice(0.8)).label).toBe('happy');
    expect(fuseTurn(text(0.02), voice(0.9)).label).toBe('neutral');
  });

  it('lets an angry voice tip a mildly negative sentence into frustration', () => {
    const words = analyzeTextLexicon('I have a problem with my bill.');
    expect(fuseTurn(words, voice(0.5)).label).not.toBe('frustrated');
    expect(fuseTurn(words, voice(0.97)).label).toBe('frustrated');
  });

  it('trusts the voice less while it is still the baseline, and works with text alone', () => {
    const withBaseline = fuseTurn(text(0, 0.3), voice(0.5, true));
    expect(withBaseline.arousal).toBeCloseTo(0.4 * 0.5 + 0.6 * 0.3, 5);
    const textOnly = fuseTurn(text(-0.5, 0.8), null);
    expect(textOnly.arousal).toBe(0.8);
  });

  it("uses an LLM reading's own label as its cue", () => {
    const llm: TextEmotion = { label: 'confused', confidence: 0.9, valence: -0.1, arousal: 0.4, source: 'llm' };
    const fused = fuseTurn(llm, voice(0.5));
    expect(fused.label).toBe('confused');
    expect(fused.confidence).toBeGreaterThan(0.5);
    const sum = Object.values(fused.probabilities).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
  });
});

describe('smoothed per-call track', () => {
  it('does not swing on one stray turn but follows a sustained change', () => {
    const track = new EmotionTrack();
    const happy = fuseTurn(text(0.7), voice(0.5));
    const angry = fuseTurn(text(-0.8), voice(0.95));
    track.push(happy);
    track.push(happy);
    const afterOne = track.push(angry);
    expect(afterOne.frustration).toBeLessThan(angry.probabilities.frustrated);
    expect(afterOne.valence).toBeGreaterThan(angry.valence);
    track.push(angry);
    const afterThree = track.push(angry);
    expect(afterThree.label).toBe('frustrated');
    expect(afterThree.frustration).toBeGreaterThan(afterOne.frustration);
  });
});

describe('frustration tracker', () => {
  const turn = (seq: number, label: 'frustrated' | 'neutral') => ({ callId: 'c1', seq, at: new Date(0).toISOString(), label });
  const track = (frustration: number) => ({ label: 'neutral' as const, valence: 0, arousal: 0.5, frustration });

  it('fires once after N consecutive frustrated turns, with the configured actions', () => {
    const tracker = new FrustrationTracker({ ...DEFAULT_EMOTION_SETTINGS, frustrationTurns: 3 });
    expect(tracker.observe(turn(1, 'frustrated'), track(0.4))).toBeNull();
    expect(tracker.observe(turn(2, 'frustrated'), track(0.45))).toBeNull();
    const fired = tracker.observe(turn(3, 'frustrated'), track(0.6));
    expect(fired?.alert).toMatchObject({ callId: 'c1', seq: 3, turns: 3, actions: ['acknowledge', 'slow_down', 'offer_human'] });
    expect(fired?.guidance.speakingRate).toBe(SLOWER_SPEAKING_RATE);
    expect(fired?.guidance.instruction).toMatch(/acknowledg/i);
    expect(fired?.guidance.instruction).toMatch(/human/i);
    expect(fired?.guidance.line).toBe("I'm sorry, I can hear this has been frustrating. I'll keep it short. Would you like me to put you through to a colleague?");
    expect(tracker.observe(turn(4, 'frustrated'), track(0.7))).toBeNull();
  });

  it('resets on a calm turn and re-arms after the caller calms down', () => {
    const tracker = new FrustrationTracker({ ...DEFAULT_EMOTION_SETTINGS, frustrationTurns: 2 });
    tracker.observe(turn(1, 'frustrated'), track(0.6));
    expect(tracker.observe(turn(2, 'neutral'), track(0.3))).toBeNull();
    expect(tracker.observe(turn(3, 'frustrated'), track(0.6))).toBeNull();
    expect(tracker.observe(turn(4, 'frustrated'), track(0.6))).not.toBeNull();
    tracker.observe(turn(5, 'neutral'), track(0.2));
    tracker.observe(turn(6, 'neutral'), track(0.1));
    tracker.observe(turn(7, 'frustrated'), track(0.6));
    expect(tracker.observe(turn(8, 'frustrated'), track(0.6))).not.toBeNull();
  });

  it('stays silent when the campaign turns it off, and honours the chosen actions', () => {
    const off = new FrustrationTracker({ ...DEFAULT_EMOTION_SETTINGS, enabled: false, frustrationTurns: 1 });
    expect(off.observe(turn(1, 'frustrated'), track(0.9))).toBeNull();
    const noHuman = new FrustrationTracker({ ...DEFAULT_EMOTION_SETTINGS, frustrationTurns: 1, offerHuman: false, slowDown: false });
    const fired = noHuman.observe(turn(1, 'frustrated'), track(0.9));
    expect(fired?.alert.actions).toEqual(['acknowledge']);
    expect(fired?.guidance).toMatchObject({ speakingRate: 1, offerHuman: false });
    expect(fired?.guidance.instruction).not.toMatch(/human/i);
    expect(fired?.guidance.line).toBe("I'm sorry, I can hear this has been frustrating.");
  });
});
