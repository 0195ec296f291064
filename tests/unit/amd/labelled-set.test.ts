import { describe, expect, it } from 'vitest';
import { EspeakTts } from '../../../electron/engine/adapters/tts/espeak';
import { detect, detectByGreetingLength, score } from '../../../electron/engine/voice/machine-detection/evaluation';
import { buildLabelledSet, labelledSetPlan } from '../../../electron/engine/voice/machine-detection/labelled-set';

describe('answering-machine labelled set and held-out accuracy', () => {
  it('plans tuning and held-out halves that share no text and no voice', () => {
    const plan = labelledSetPlan();
    expect(plan).toHaveLength(104);
    for (const split of ['tuning', 'held-out'] as const) {
      expect(plan.filter((p) => p.label === 'machine' && p.split === split)).toHaveLength(24);
      expect(plan.filter((p) => p.label === 'human' && p.split === split)).toHaveLength(28);
    }
    const tuning = plan.filter((p) => p.split === 'tuning');
    const heldOut = plan.filter((p) => p.split === 'held-out');
    for (const p of heldOut) {
      expect(tuning.some((t) => t.text === p.text)).toBe(false);
      expect(tuning.some((t) => t.voice === p.voice)).toBe(false);
    }
  });

  it('keeps accuracy on a small held-out sample above its floor, with no person taken for a machine', async () => {
    const tts = new EspeakTts();
    const samples = await buildLabelledSet(tts, { splits: ['held-out'], textsPerGroup: 4, voicesPerSplit: 2, speedsPerSplit: 1 });
    await tts.dispose();
    expect(samples.filter((s) => s.label === 'machine')).toHaveLength(8);
    expect(samples.filter((s) => s.label === 'human')).toHaveLength(8);
    expect(samples.every((s) => s.audio.length > s.sampleRate)).toBe(true);
    const machineSample = samples.find((s) => s.label === 'machine')!;
    expect(machineSample.beep!.endMs).toBeGreaterThan(machineSample.speechEndMs);

    const parley = score(samples.map((s) => detect(s)), samples);
    expect(parley.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(parley.falseMachineRate).toBe(0);
    expect(parley.meanDecisionMs).toBeLessThanOrEqual(4_000);
    expect(parley.beepFoundRate).toBeGreaterThanOrEqual(0.75);
    // The baseline (greeting length alone) is measurably worse on the same sample.
    const baseline = score(samples.map((s) => detectByGreetingLength(s, 1_800)), samples);
    expect(parley.accuracy).toBeGreaterThan(baseline.accuracy);
  }, 60_000);
});
