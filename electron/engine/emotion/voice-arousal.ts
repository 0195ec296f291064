import type { VoiceFeatures } from '../../contracts/emotion';
import { clamp } from './label-scores';
import type { ProsodyMeasurements } from './prosody';

/**
 * Arousal from prosody, relative to the caller's own first turns: people differ far more from each
 * other (voice, phone, line level) than one person differs between calm and angry, so absolute
 * loudness or pitch says little; a change against their own baseline says a lot.
 */
export class CallerVoiceBaseline {
  private readonly turns: ProsodyMeasurements[] = [];

  /** `baselineTurns`: how many of the caller's first usable turns define "calm" for them. */
  constructor(private readonly baselineTurns = 2) {
    if (!Number.isInteger(baselineTurns) || baselineTurns < 1) throw new RangeError('baselineTurns must be a positive integer');
  }

  get ready(): boolean {
    return this.turns.length >= this.baselineTurns;
  }

  /** Reads one turn. Turns too short to measure (under 300 ms of speech) neither count nor move arousal. */
  read(measured: ProsodyMeasurements): VoiceFeatures {
    const usable = measured.durationMs >= 300 && measured.energyDb > -60;
    const inBaseline = usable && !this.ready;
    if (inBaseline) this.turns.push(measured);
    const arousal = usable && this.turns.length > 0 ? arousalAgainst(this.mean(), measured) : 0.5;
    return {
      durationMs: measured.durationMs,
      energyDb: round(measured.energyDb, 2),
      f0MeanHz: measured.f0MeanHz === null ? null : round(measured.f0MeanHz, 1),
      f0RangeHz: measured.f0RangeHz === null ? null : round(measured.f0RangeHz, 1),
      syllableRate: round(measured.syllableRate, 2),
      wordsPerSecond: measured.wordsPerSecond === null ? null : round(measured.wordsPerSecond, 2),
      pauseRatio: round(measured.pauseRatio, 3),
      arousal: round(arousal, 3),
      baseline: inBaseline,
    };
  }

  private mean(): ProsodyMeasurements {
    const avg = (pick: (m: ProsodyMeasurements) => number | null): number | null => {
      const values = this.turns.map(pick).filter((v): v is number => v !== null);
      return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    };
    // Energy averages in the power domain, as loudness adds up.
    const power = this.turns.reduce((sum, t) => sum + 10 ** (t.energyDb / 10), 0) / this.turns.length;
    return {
      durationMs: avg((t) => t.durationMs) ?? 0,
      energyDb: 10 * Math.log10(power),
      f0MeanHz: avg((t) => t.f0MeanHz),
      f0RangeHz: avg((t) => t.f0RangeHz),
      voicedFrames: avg((t) => t.voicedFrames) ?? 0,
      syllableRate: avg((t) => t.syllableRate) ?? 0,
      wordsPerSecond: avg((t) => t.wordsPerSecond),
      pauseRatio: avg((t) => t.pauseRatio) ?? 0,
    };
  }
}

/** Scales: how big a change counts as one step of evidence. */
const ENERGY_STEP_DB = 4;
const PITCH_STEP_SEMITONES = 2;
const RANGE_STEP_OCTAVES = 0.5;
const RATE_STEP_OCTAVES = 0.25; // ~19% faster
const PAUSE_STEP = 0.15;

/** 0..1 with 0.5 at the baseline: louder, higher, wider-ranging, faster, fewer pauses -> higher. */
export function arousalAgainst(baseline: ProsodyMeasurements, turn: ProsodyMeasurements): number {
  const zEnergy = (turn.energyDb - baseline.energyDb) / ENERGY_STEP_DB;
  const zPitch =
    turn.f0MeanHz && baseline.f0MeanHz ? (12 * Math.log2(turn.f0MeanHz / baseline.f0MeanHz)) / PITCH_STEP_SEMITONES : 0;
  const zRange =
    turn.f0RangeHz !== null && baseline.f0RangeHz !== null
      ? Math.log2((turn.f0RangeHz + 10) / (baseline.f0RangeHz + 10)) / RANGE_STEP_OCTAVES
      : 0;
  const useWords = turn.wordsPerSecond !== null && baseline.wordsPerSecond !== null && baseline.wordsPerSecond > 0;
  const rate = useWords ? turn.wordsPerSecond! : turn.syllableRate;
  const baseRate = useWords ? baseline.wordsPerSecond! : baseline.syllableRate;
  const zRate = rate > 0 && baseRate > 0 ? Math.log2(rate / baseRate) / RATE_STEP_OCTAVES : 0;
  const zPause = (turn.pauseRatio - baseline.pauseRatio) / PAUSE_STEP;
  const evidence =
    0.4 * clamp(zEnergy, -3, 3) +
    0.25 * clamp(zPitch, -3, 3) +
    0.1 * clamp(zRange, -3, 3) +
    0.25 * clamp(zRate, -3, 3) -
    0.1 * clamp(zPause, -3, 3);
  return 1 / (1 + Math.exp(-1.2 * evidence));
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
