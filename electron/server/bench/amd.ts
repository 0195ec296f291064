import { EspeakTts } from '../../engine/adapters/tts/espeak';
import { frameSamples } from '../../engine/audio/pcm';
import { detect, detectByGreetingLength, score, tuneBaseline, tuneDetector, type Scores } from '../../engine/voice/machine-detection/evaluation';
import { buildLabelledSet, type LabelledSample } from '../../engine/voice/machine-detection/labelled-set';
import { MachineDetector } from '../../engine/voice/machine-detection/machine-detector';
import type { Benchmark } from './index';

/** What an ideal streaming recognizer would give: the words said once 1.5 s of speech was heard, 0.5 s later. */
const TRANSCRIPT_TIMING = { afterSpeechMs: 1_500, latencyMs: 500 };

function count(samples: LabelledSample[]) {
  const of = (label: string, split: string) => samples.filter((s) => s.label === label && s.split === split).length;
  return {
    tuning: { machines: of('machine', 'tuning'), humans: of('human', 'tuning') },
    heldOut: { machines: of('machine', 'held-out'), humans: of('human', 'held-out') },
    withNoise: samples.filter((s) => s.noiseDbfs !== null).length,
    businessGreetings: samples.filter((s) => s.businessGreeting).length,
    voices: [...new Set(samples.map((s) => s.voice))],
  };
}

/** Microseconds of detector work per 20 ms frame (every frame runs the full Goertzel bank and level). */
function perFrameCost(samples: LabelledSample[], sampleRate: number): { medianUs: number; meanUs: number; p99Us: number; frames: number } {
  const size = frameSamples(sampleRate);
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const sample of samples) {
      // Beep listening stays on after the verdict, so each frame costs what the worst frame costs.
      const detector = new MachineDetector(sampleRate, { maxDecisionMs: 60_000, silentLineMs: 60_000, longGreetingMs: 60_000, muchSpeechMs: 60_000, afterGreetingSilenceMs: 60_000 });
      for (let at = 0; at + size <= sample.audio.length; at += size) {
        const frame = sample.audio.subarray(at, at + size);
        const started = process.hrtime.bigint();
        detector.push(frame);
        if (round > 0) times.push(Number(process.hrtime.bigint() - started) / 1_000);
      }
    }
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  return { medianUs: round1(times[Math.floor(times.length / 2)] ?? 0), meanUs: round1(mean), p99Us: round1(times[Math.floor(times.length * 0.99)] ?? 0), frames: times.length };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function line(name: string, s: Scores): string {
  return `${name.padEnd(34)} accuracy ${(s.accuracy * 100).toFixed(1)}%  false machine ${(s.falseMachineRate * 100).toFixed(1)}%  missed machine ${(s.missedMachineRate * 100).toFixed(1)}%  mean decision ${s.meanDecisionMs} ms`;
}

/**
 * `parley bench amd`: Parley's own answering-machine detection on a generated labelled set (espeak-ng
 * greetings with synthetic beeps, people answering with and without line noise, all through G.711).
 * Thresholds are tuned on the tuning half; accuracy is reported on the held-out half, whose texts and
 * voices tuning never saw, beside a baseline that looks at greeting length only.
 */
export const benchmark: Benchmark = {
  description: 'answering-machine detection: accuracy on held-out espeak-ng greetings and openings, decision time, per-frame cost',
  async run({ log }) {
    const tts = new EspeakTts();
    log('Synthesizing the labelled set with espeak-ng...');
    const set = await buildLabelledSet(tts, { sampleRate: 8_000 });
    const tuning = set.filter((s) => s.split === 'tuning');
    const heldOut = set.filter((s) => s.split === 'held-out');
    const counts = count(set);
    log(`${set.length} samples: tuning ${counts.tuning.machines} machines + ${counts.tuning.humans} people; held-out ${counts.heldOut.machines} machines + ${counts.heldOut.humans} people; ${counts.withNoise} with line noise; ${counts.businessGreetings} people with a full business greeting`);

    log('Tuning thresholds on the tuning half...');
    const tuned = tuneDetector(tuning);
    const baselineTuned = tuneBaseline(tuning);
    const detector = score(heldOut.map((s) => detect(s, tuned.options)), heldOut);
    const withTranscript = score(heldOut.map((s) => detect(s, tuned.options, TRANSCRIPT_TIMING)), heldOut);
    const confirmed = score(heldOut.map((s) => detect(s, tuned.options, undefined, true)), heldOut);
    const baseline = score(heldOut.map((s) => detectByGreetingLength(s, baselineTuned.thresholdMs)), heldOut);
    log(line('held-out: Parley (audio + beep)', detector));
    log(line('held-out: + transcript cues', withTranscript));
    log(line('held-out: confirmed (hang-up campaigns)', confirmed));
    log(line(`held-out: baseline (greeting >= ${baselineTuned.thresholdMs} ms)`, baseline));
    log(`people waited ${detector.meanHumanDecisionMs} ms on average before the agent spoke; machines were recognised after ${detector.meanMachineDecisionMs} ms`);
    const business = heldOut.filter((s) => s.businessGreeting);
    const businessWrong = business.filter((s) => detect(s, tuned.options).answeredBy === 'machine').length;
    const shortOpenings = heldOut.filter((s) => s.label === 'human' && !s.businessGreeting);
    const shortWrong = shortOpenings.filter((s) => detect(s, tuned.options).answeredBy === 'machine').length;
    log(`people taken for machines: ${shortWrong} of ${shortOpenings.length} short openings, ${businessWrong} of ${business.length} full business greetings (as long as a machine's first sentence)`);
    log(`beep found on ${((detector.beepFoundRate ?? 0) * 100).toFixed(1)}% of held-out machines, its end within ${detector.meanBeepErrorMs ?? '-'} ms on average`);

    const cost8k = perFrameCost(heldOut, 8_000);
    const set16k = await buildLabelledSet(tts, { sampleRate: 16_000, splits: ['held-out'], textsPerGroup: 2, voicesPerSplit: 1, speedsPerSplit: 1 });
    await tts.dispose();
    const cost16k = perFrameCost(set16k, 16_000);
    log(`per-frame cost: median ${cost8k.medianUs} us, mean ${cost8k.meanUs} us, p99 ${cost8k.p99Us} us at 8 kHz; median ${cost16k.medianUs} us, mean ${cost16k.meanUs} us, p99 ${cost16k.p99Us} us at 16 kHz (a frame is 20,000 us of audio)`);

    return {
      samples: set.length,
      counts,
      tunedOptions: tuned.options,
      tuningAccuracy: tuned.scores.accuracy,
      accuracy: detector.accuracy,
      falseMachineRate: detector.falseMachineRate,
      missedMachineRate: detector.missedMachineRate,
      unknownRate: detector.unknownRate,
      meanDecisionMs: detector.meanDecisionMs,
      meanHumanDecisionMs: detector.meanHumanDecisionMs,
      meanMachineDecisionMs: detector.meanMachineDecisionMs,
      beepFoundRate: detector.beepFoundRate,
      meanBeepErrorMs: detector.meanBeepErrorMs,
      falseMachineShortOpenings: { wrong: shortWrong, of: shortOpenings.length },
      falseMachineBusinessGreetings: { wrong: businessWrong, of: business.length },
      confirmedForHangUp: { accuracy: confirmed.accuracy, falseMachineRate: confirmed.falseMachineRate, missedMachineRate: confirmed.missedMachineRate, meanMachineDecisionMs: confirmed.meanMachineDecisionMs },
      withTranscript: { accuracy: withTranscript.accuracy, falseMachineRate: withTranscript.falseMachineRate, meanDecisionMs: withTranscript.meanDecisionMs },
      baseline: { method: 'greeting length only', thresholdMs: baselineTuned.thresholdMs, accuracy: baseline.accuracy, falseMachineRate: baseline.falseMachineRate, meanDecisionMs: baseline.meanDecisionMs },
      perFrameUs: { median8k: cost8k.medianUs, mean8k: cost8k.meanUs, p99_8k: cost8k.p99Us, median16k: cost16k.medianUs, mean16k: cost16k.meanUs, p99_16k: cost16k.p99Us },
    };
  },
};
