import { YinPitchDetector } from './yin';

/** Acoustic measurements of one caller utterance (before normalising against the caller). */
export interface ProsodyMeasurements {
  /** Speech region: first to last active frame. */
  durationMs: number;
  /** Mean power of active frames, dB relative to full scale. */
  energyDb: number;
  f0MeanHz: number | null;
  /** Spread of F0 (95th minus 5th percentile of voiced frames). */
  f0RangeHz: number | null;
  voicedFrames: number;
  /** Syllable nuclei (intensity peaks in voiced speech) per second of speaking time. */
  syllableRate: number;
  wordsPerSecond: number | null;
  /** Share of the speech region spent in pauses of at least MIN_PAUSE_MS. */
  pauseRatio: number;
}

const FRAME_MS = 20;
const HOP_MS = 10;
/** Silences shorter than this are part of fluent speech (Goldman-Eisler's 250 ms convention). */
const MIN_PAUSE_MS = 250;
/** A syllable nucleus must stand this far (dB) above the dip before it (de Jong & Wempe use 2 dB). */
const NUCLEUS_DIP_DB = 2;
const SILENCE_FLOOR_DB = -55;
const PITCH_STEP_FRAMES = 2;

const detectors = new Map<number, YinPitchDetector>();
function detectorFor(sampleRate: number): YinPitchDetector {
  let detector = detectors.get(sampleRate);
  if (!detector) detectors.set(sampleRate, (detector = new YinPitchDetector({ sampleRate, minHz: 60, maxHz: 500 })));
  return detector;
}

const toDb = (power: number) => 10 * Math.log10(power + 1e-12);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, (sorted.length - 1) * p));
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (index - lo);
}

/**
 * Energy, pitch (YIN), speaking rate and pauses of one utterance of PCM16 mono audio.
 * `words`, when the transcript is known, gives a words-per-second rate alongside the syllable rate.
 */
export function measureProsody(audio: Int16Array, sampleRate: number, words?: number): ProsodyMeasurements {
  if (!Number.isFinite(sampleRate) || sampleRate < 8000) throw new RangeError(`Sample rate ${sampleRate} Hz is too low for prosody (need >= 8000)`);
  const signal = Float64Array.from(audio, (s) => s / 32768);
  const frameLength = Math.round((sampleRate * FRAME_MS) / 1000);
  const hop = Math.round((sampleRate * HOP_MS) / 1000);
  const framePower: number[] = [];
  for (let start = 0; start + frameLength <= signal.length; start += hop) {
    let sum = 0;
    for (let i = start; i < start + frameLength; i++) sum += signal[i]! * signal[i]!;
    framePower.push(sum / frameLength);
  }
  const frameDb = framePower.map(toDb);
  const empty: ProsodyMeasurements = {
    durationMs: 0,
    energyDb: toDb(0),
    f0MeanHz: null,
    f0RangeHz: null,
    voicedFrames: 0,
    syllableRate: 0,
    wordsPerSecond: null,
    pauseRatio: 0,
  };
  if (frameDb.length === 0) return empty;

  // Active frames: clearly above the recording's own noise floor (when it has any silence to measure
  // one from) and within 35 dB of its peak.
  const sortedDb = [...frameDb].sort((a, b) => a - b);
  const peak = sortedDb[sortedDb.length - 1]!;
  const noiseGate = percentile(sortedDb, 0.1) + 12;
  const threshold = Math.max(noiseGate < peak - 6 ? noiseGate : -Infinity, peak - 35, SILENCE_FLOOR_DB);
  const active = frameDb.map((db) => db > threshold);
  const first = active.indexOf(true);
  const last = active.lastIndexOf(true);
  if (first < 0) return empty;
  const regionFrames = last - first + 1;

  let activePower = 0;
  let activeCount = 0;
  let pauseFrames = 0;
  let silentRun = 0;
  const minPauseFrames = Math.ceil(MIN_PAUSE_MS / HOP_MS);
  for (let f = first; f <= last + 1; f++) {
    if (f <= last && !active[f]) {
      silentRun += 1;
      continue;
    }
    if (silentRun >= minPauseFrames) pauseFrames += silentRun;
    silentRun = 0;
    if (f <= last) {
      activePower += framePower[f]!;
      activeCount += 1;
    }
  }

  // Pitch on every other active frame (a 20 ms step is plenty for a mean and a range, and halves
  // the cost: this runs beside a live call); octave errors are dropped against the median.
  const detector = detectorFor(sampleRate);
  const pitchByFrame: Array<number | null> = frameDb.map(() => null);
  const pitches: number[] = [];
  for (let f = first; f <= last; f += PITCH_STEP_FRAMES) {
    if (!active[f]) continue;
    const centre = f * hop + frameLength / 2;
    const estimate = detector.detect(signal, Math.round(centre - detector.frameSize / 2));
    if (estimate) {
      pitchByFrame[f] = estimate.hz;
      pitches.push(estimate.hz);
    }
  }
  const median = percentile([...pitches].sort((a, b) => a - b), 0.5);
  const voiced = pitches.filter((hz) => hz > median / 1.8 && hz < median * 1.8).sort((a, b) => a - b);

  const speakingSeconds = Math.max((regionFrames - pauseFrames) * HOP_MS, FRAME_MS) / 1000;
  const nuclei = countNuclei(frameDb, active, pitchByFrame, first, last, threshold);
  return {
    durationMs: regionFrames * HOP_MS + (FRAME_MS - HOP_MS),
    energyDb: toDb(activePower / Math.max(1, activeCount)),
    f0MeanHz: voiced.length > 0 ? voiced.reduce((a, b) => a + b, 0) / voiced.length : null,
    f0RangeHz: voiced.length > 1 ? percentile(voiced, 0.95) - percentile(voiced, 0.05) : null,
    voicedFrames: voiced.length,
    syllableRate: nuclei / speakingSeconds,
    wordsPerSecond: words !== undefined && words > 0 ? words / speakingSeconds : null,
    pauseRatio: regionFrames > 0 ? pauseFrames / regionFrames : 0,
  };
}

/**
 * Syllable nuclei after de Jong & Wempe (2009): peaks of the (lightly smoothed) intensity contour
 * that are voiced, loud enough, and separated from the previous peak by a dip of NUCLEUS_DIP_DB.
 */
function countNuclei(frameDb: number[], active: boolean[], pitch: Array<number | null>, first: number, last: number, threshold: number): number {
  const smooth = frameDb.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let k = i - 2; k <= i + 2; k++) {
      if (k >= 0 && k < frameDb.length) {
        sum += frameDb[k]!;
        n += 1;
      }
    }
    return sum / n;
  });
  const activeDb = smooth.filter((_, i) => active[i]).sort((a, b) => a - b);
  const floor = Math.max(threshold, percentile(activeDb, 0.5) - 6);
  let count = 0;
  let dip = Infinity;
  let lastPeak = -Infinity;
  for (let i = Math.max(1, first); i <= Math.min(last, smooth.length - 2); i++) {
    const v = smooth[i]!;
    dip = Math.min(dip, v);
    const isPeak = v >= smooth[i - 1]! && v > smooth[i + 1]!;
    if (!isPeak || v < floor || !active[i]) continue;
    const voicedNearby = pitch.slice(Math.max(0, i - 2), i + 3).some((hz) => hz !== null);
    if (!voicedNearby) continue;
    if (lastPeak === -Infinity || (v - dip >= NUCLEUS_DIP_DB && lastPeak - dip >= NUCLEUS_DIP_DB)) {
      count += 1;
      lastPeak = v;
      dip = v;
    } else if (v > lastPeak) {
      lastPeak = v; // the same nucleus rising further
      dip = v;
    }
  }
  return count;
}
