import { frameSamples } from '../../audio/pcm';
import type { LabelledSample } from './labelled-set';
import { DEFAULT_MACHINE_DETECTION, MachineDetector, type AnsweredBy, type MachineDetectionOptions } from './machine-detector';
import { SpeechActivity } from './speech-activity';

/** Scores detection on a labelled set: the shared code of `parley bench amd` and the accuracy test. */

export interface Decision {
  id: string;
  label: 'human' | 'machine';
  answeredBy: AnsweredBy;
  atMs: number;
  method: string;
  /** End of the beep heard, if any. */
  beepEndMs: number | null;
}

export interface Scores {
  samples: number;
  humans: number;
  machines: number;
  /** Correct verdicts; "unknown" is handled as a person (the call goes on), so it counts as human. */
  accuracy: number;
  /** People taken for machines (hung up on or left a voicemail): the costly error. */
  falseMachineRate: number;
  /** Machines taken for people (the agent talks to a recording). */
  missedMachineRate: number;
  unknownRate: number;
  meanDecisionMs: number;
  /** How long a person waits in silence before the agent speaks (the price of screening). */
  meanHumanDecisionMs: number;
  meanMachineDecisionMs: number;
  /** Machines whose beep was found, and how far its end was from the truth. */
  beepFoundRate: number | null;
  meanBeepErrorMs: number | null;
}

export interface TranscriptTiming {
  /** The recognizer gets the audio once this much speech has been heard... */
  afterSpeechMs: number;
  /** ...and answers this much later, with the words said so far. */
  latencyMs: number;
}

function frames(sample: LabelledSample): Int16Array[] {
  const size = frameSamples(sample.sampleRate);
  const out: Int16Array[] = [];
  for (let at = 0; at + size <= sample.audio.length; at += size) out.push(sample.audio.subarray(at, at + size));
  return out;
}

/** Runs Parley's detector over one sample; with `transcript`, an ideal recognizer reveals the words said so far. */
export function detect(sample: LabelledSample, options: Partial<MachineDetectionOptions> = {}, transcript?: TranscriptTiming, confirm = false): Decision {
  const detector = new MachineDetector(sample.sampleRate, { ...options, useTranscript: transcript !== undefined });
  const words = sample.text.split(/\s+/);
  const revealAt = transcript ? sample.speechStartMs + transcript.afterSpeechMs + transcript.latencyMs : Infinity;
  const speechMs = sample.speechEndMs - sample.speechStartMs;
  let revealed = false;
  let atMs = 0;
  for (const frame of frames(sample)) {
    detector.push(frame);
    atMs += 20;
    if (!revealed && atMs >= revealAt && speechMs >= (transcript?.afterSpeechMs ?? 0)) {
      revealed = true;
      const heardMs = sample.speechStartMs + (transcript?.afterSpeechMs ?? 0);
      const share = Math.min(1, (heardMs - sample.speechStartMs) / speechMs);
      detector.hearTranscript(words.slice(0, Math.floor(words.length * share)).join(' '));
    }
    if (detector.finished) break;
  }
  const verdict = detector.verdict;
  // A campaign that hangs up on machines acts on the confirmed verdict (a refuted one goes on as a person).
  const confirmation = confirm && verdict?.answeredBy === 'machine' ? detector.confirmation : undefined;
  return {
    id: sample.id,
    label: sample.label,
    answeredBy: confirmation?.answeredBy ?? verdict?.answeredBy ?? 'unknown',
    atMs: confirmation?.atMs ?? verdict?.atMs ?? atMs,
    method: confirmation ? `${verdict!.method}, ${confirmation.answeredBy === 'human' ? 'refuted' : 'confirmed'}` : (verdict?.method ?? 'none'),
    beepEndMs: detector.beep?.endMs ?? null,
  };
}

/** The baseline: greeting length only (a first utterance of `thresholdMs` or more is a machine). */
export function detectByGreetingLength(sample: LabelledSample, thresholdMs: number, maxDecisionMs = DEFAULT_MACHINE_DETECTION.maxDecisionMs): Decision {
  const activity = new SpeechActivity();
  let decided: Decision | undefined;
  const decide = (answeredBy: AnsweredBy, atMs: number, method: string) => (decided = { id: sample.id, label: sample.label, answeredBy, atMs, method, beepEndMs: null });
  for (const frame of frames(sample)) {
    activity.push(frame);
    const first = activity.utterances[0];
    if (first && first.endMs - first.startMs >= thresholdMs) decide('machine', activity.nowMs, 'long-greeting');
    else if (first && activity.utterances.length > 1) decide('human', activity.nowMs, 'short-greeting');
    else if (first && !activity.inUtterance) decide('human', activity.nowMs, 'short-greeting');
    else if (activity.nowMs >= maxDecisionMs) decide('unknown', activity.nowMs, 'deadline');
    if (decided) return decided;
  }
  return decide('unknown', activity.nowMs, 'deadline');
}

export function score(decisions: Decision[], samples: LabelledSample[]): Scores {
  const truth = new Map(samples.map((s) => [s.id, s]));
  const humans = decisions.filter((d) => d.label === 'human');
  const machines = decisions.filter((d) => d.label === 'machine');
  const correct = decisions.filter((d) => (d.label === 'machine' ? d.answeredBy === 'machine' : d.answeredBy !== 'machine')).length;
  const beeps = machines.filter((d) => d.beepEndMs !== null);
  const beepErrors = beeps.map((d) => Math.abs(d.beepEndMs! - (truth.get(d.id)?.beep?.endMs ?? d.beepEndMs!)));
  const rate = (n: number, of: number) => (of === 0 ? 0 : round(n / of));
  return {
    samples: decisions.length,
    humans: humans.length,
    machines: machines.length,
    accuracy: rate(correct, decisions.length),
    falseMachineRate: rate(humans.filter((d) => d.answeredBy === 'machine').length, humans.length),
    missedMachineRate: rate(machines.filter((d) => d.answeredBy !== 'machine').length, machines.length),
    unknownRate: rate(decisions.filter((d) => d.answeredBy === 'unknown').length, decisions.length),
    meanDecisionMs: meanAt(decisions),
    meanHumanDecisionMs: meanAt(humans),
    meanMachineDecisionMs: meanAt(machines),
    beepFoundRate: machines.length > 0 ? rate(beeps.length, machines.length) : null,
    meanBeepErrorMs: beepErrors.length > 0 ? Math.round(beepErrors.reduce((a, b) => a + b, 0) / beepErrors.length) : null,
  };
}

/** Weighs a person taken for a machine three times a missed machine. */
function cost(s: Scores): number {
  return s.humans * s.falseMachineRate * 3 + s.machines * s.missedMachineRate + s.meanDecisionMs / 10_000;
}

export interface Tuned {
  options: Partial<MachineDetectionOptions>;
  scores: Scores;
}

/** Grid search over the detector's thresholds on the tuning half. */
export function tuneDetector(samples: LabelledSample[]): Tuned {
  let best: Tuned | undefined;
  for (const longGreetingMs of [1_600, 2_000, 2_400, 2_800, 3_200, 3_600]) {
    for (const afterGreetingSilenceMs of [600, 800, 1_000]) {
      for (const muchSpeechMs of [2_400, 2_800, 3_200, 3_600]) {
        if (muchSpeechMs < longGreetingMs) continue;
        const options = { longGreetingMs, afterGreetingSilenceMs, muchSpeechMs };
        const scores = score(samples.map((s) => detect(s, options)), samples);
        if (!best || cost(scores) < cost(best.scores)) best = { options, scores };
      }
    }
  }
  return best!;
}

/** The baseline's one threshold, tuned the same way. */
export function tuneBaseline(samples: LabelledSample[]): { thresholdMs: number; scores: Scores } {
  let best: { thresholdMs: number; scores: Scores } | undefined;
  for (let thresholdMs = 800; thresholdMs <= 3_600; thresholdMs += 200) {
    const scores = score(samples.map((s) => detectByGreetingLength(s, thresholdMs)), samples);
    if (!best || cost(scores) < cost(best.scores)) best = { thresholdMs, scores };
  }
  return best!;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const meanAt = (decisions: Decision[]) => (decisions.length === 0 ? 0 : Math.round(decisions.reduce((sum, d) => sum + d.atMs, 0) / decisions.length));
