import { DEFAULT_ACTIVITY, SpeechActivity, type SpeechActivityOptions } from './speech-activity';
import { DEFAULT_TONE_OPTIONS, ToneDetector, type Tone, type ToneDetectorOptions } from './tone-detector';
import { machineCue } from './transcript-cues';

export type AnsweredBy = 'human' | 'machine' | 'unknown';

/** How a verdict was reached (recorded with the call). */
export type DetectionMethod = 'long-greeting' | 'much-speech' | 'short-greeting' | 'beep' | 'transcript' | 'silent-line' | 'deadline';

export interface DetectionFeatures {
  /** From the answer to the first word; null if nobody spoke. */
  initialSilenceMs: number | null;
  /** Length of the first utterance (so far). */
  greetingMs: number;
  /** Voiced time in all. */
  speechMs: number;
  utterances: number;
}

export interface MachineVerdict {
  answeredBy: AnsweredBy;
  /** Stream time of the decision (ms after the answer). */
  atMs: number;
  method: DetectionMethod;
  /** One sentence for the call's record. */
  reason: string;
  features: DetectionFeatures;
}

/** A machine verdict drawn from the sound alone, checked by what follows it. */
export interface Confirmation {
  answeredBy: 'machine' | 'human';
  atMs: number;
  reason: string;
}

export interface MachineDetectionOptions {
  /** A verdict is given by this time at the latest. */
  maxDecisionMs: number;
  /** A first utterance this long is a recorded greeting (people say "Hello?" and wait). */
  longGreetingMs: number;
  /** A greeting shorter than the above, then this much silence: a person waiting for an answer. */
  afterGreetingSilenceMs: number;
  /** This much speech in all before any wait: a machine talking on over sentence pauses. */
  muchSpeechMs: number;
  /** Nobody spoke for this long: the verdict is unknown (treated as a person, who costs most to lose). */
  silentLineMs: number;
  /** After a machine verdict, how long to keep listening for the beep. */
  beepWaitMs: number;
  /** A machine verdict from the sound alone is confirmed by this much speech in all (no receptionist talks that long)... */
  confirmSpeechMs: number;
  /** ...and refuted when the speaker stops and waits this long with no beep (a person waiting for an answer). */
  refuteSilenceMs: number;
  activity: Partial<SpeechActivityOptions>;
  tone: Partial<ToneDetectorOptions>;
  useBeep: boolean;
  useTranscript: boolean;
}

export const DEFAULT_MACHINE_DETECTION: MachineDetectionOptions = {
  maxDecisionMs: 4_000,
  // The next three are what `parley bench amd` tuned on its tuning half.
  longGreetingMs: 2_000,
  afterGreetingSilenceMs: 1_000,
  muchSpeechMs: 2_400,
  silentLineMs: 3_000,
  beepWaitMs: 30_000,
  confirmSpeechMs: 5_000,
  refuteSilenceMs: 2_000,
  activity: DEFAULT_ACTIVITY,
  tone: DEFAULT_TONE_OPTIONS,
  useBeep: true,
  useTranscript: true,
};

/**
 * Parley's own answering-machine detection, fed the first seconds of caller audio one 20 ms frame at
 * a time (and a transcript when one is ready). Gives one verdict within `maxDecisionMs`, and
 * separately reports the beep so a voicemail starts after it. Constant work per frame: a level, a
 * noise floor and a Goertzel bank.
 */
export class MachineDetector {
  readonly options: MachineDetectionOptions;
  private readonly activity: SpeechActivity;
  private readonly tones: ToneDetector | undefined;
  private result: MachineVerdict | undefined;
  private heardBeep: Tone | undefined;
  private confirmed: Confirmation | undefined;
  private lateCue: string | undefined;
  private readonly confirmationListeners = new Set<(confirmation: Confirmation) => void>();
  private readonly verdictListeners = new Set<(verdict: MachineVerdict) => void>();
  private readonly beepListeners = new Set<(beep: Tone) => void>();

  constructor(
    readonly sampleRate: number,
    options: Partial<MachineDetectionOptions> = {},
  ) {
    this.options = { ...DEFAULT_MACHINE_DETECTION, ...options };
    this.activity = new SpeechActivity({ ...DEFAULT_ACTIVITY, ...this.options.activity });
    this.tones = this.options.useBeep ? new ToneDetector(sampleRate, this.options.tone) : undefined;
  }

  get verdict(): MachineVerdict | undefined {
    return this.result;
  }

  get beep(): Tone | undefined {
    return this.heardBeep;
  }

  /** Nothing more to learn: verdict given and the beep heard (or no longer waited for). */
  get finished(): boolean {
    if (!this.result) return false;
    if (this.result.answeredBy !== 'machine' || !this.tones || this.confirmed?.answeredBy === 'human') return true;
    return this.heardBeep !== undefined || this.activity.nowMs >= this.options.beepWaitMs;
  }

  onVerdict(listener: (verdict: MachineVerdict) => void): () => void {
    this.verdictListeners.add(listener);
    return () => this.verdictListeners.delete(listener);
  }

  /** The machine verdict confirmed or refuted (given once, after a machine verdict only). */
  get confirmation(): Confirmation | undefined {
    return this.confirmed;
  }

  onConfirmation(listener: (confirmation: Confirmation) => void): () => void {
    this.confirmationListeners.add(listener);
    return () => this.confirmationListeners.delete(listener);
  }

  onBeep(listener: (beep: Tone) => void): () => void {
    this.beepListeners.add(listener);
    return () => this.beepListeners.delete(listener);
  }

  features(): DetectionFeatures {
    const first = this.activity.utterances[0];
    return {
      initialSilenceMs: first ? first.startMs : null,
      greetingMs: first ? first.endMs - first.startMs : 0,
      speechMs: this.activity.voicedMs,
      utterances: this.activity.utterances.length,
    };
  }

  /** Feeds one 20 ms frame of caller audio. */
  push(frame: Int16Array): void {
    if (this.finished) return;
    const tone = this.tones?.push(frame);
    this.activity.push(frame, this.tones?.sounding ?? false);
    if (tone && !this.heardBeep) {
      this.heardBeep = tone;
      this.decide('machine', 'beep', `a ${tone.hz} Hz beep of ${tone.endMs - tone.startMs} ms`);
      for (const listener of [...this.beepListeners]) listener(tone);
    }
    if (!this.result) this.judge();
    if (this.result?.answeredBy === 'machine' && !this.confirmed) this.confirm();
  }

  /** Text recognised from the greeting so far. */
  hearTranscript(text: string): void {
    if (!this.options.useTranscript) return;
    const cue = machineCue(text);
    if (!cue) return;
    if (!this.result) return this.decide('machine', 'transcript', `the greeting says "${cue}"`);
    this.lateCue ??= cue;
    if (this.result.answeredBy === 'machine' && !this.confirmed) this.confirm();
  }

  private confirm(): void {
    const verdict = this.result!;
    const a = this.activity;
    const o = this.options;
    if (verdict.method === 'beep' || verdict.method === 'transcript') return this.settle('machine', verdict.reason);
    if (this.heardBeep) return this.settle('machine', 'a beep followed the greeting');
    if (this.lateCue) return this.settle('machine', `the greeting says "${this.lateCue}"`);
    if (a.voicedMs >= o.confirmSpeechMs) return this.settle('machine', `${ms(a.voicedMs)} of speech without waiting for a reply`);
    if (!a.inUtterance && a.silenceMs >= o.refuteSilenceMs) return this.settle('human', `the speaker stopped after ${ms(a.voicedMs)} of speech and waited ${ms(a.silenceMs)} with no beep`);
  }

  private settle(answeredBy: 'machine' | 'human', reason: string): void {
    this.confirmed = { answeredBy, atMs: this.activity.nowMs, reason };
    for (const listener of [...this.confirmationListeners]) listener(this.confirmed);
  }

  private judge(): void {
    const o = this.options;
    const a = this.activity;
    const now = a.nowMs;
    const first = a.utterances[0];
    if (!first) {
      if (now >= Math.min(o.silentLineMs, o.maxDecisionMs)) this.decide('unknown', 'silent-line', `nobody spoke in ${Math.round(now / 100) / 10} s`);
      return;
    }
    const greetingMs = first.endMs - first.startMs;
    if (greetingMs >= o.longGreetingMs) return this.decide('machine', 'long-greeting', `the greeting ran ${ms(greetingMs)} without a pause`);
    if (a.voicedMs >= o.muchSpeechMs) return this.decide('machine', 'much-speech', `${ms(a.voicedMs)} of speech without waiting for a reply`);
    if (!a.inUtterance && a.silenceMs >= o.afterGreetingSilenceMs && a.voicedMs < o.longGreetingMs) {
      return this.decide('human', 'short-greeting', `a ${ms(greetingMs)} greeting, then ${ms(a.silenceMs)} of waiting`);
    }
    if (now >= o.maxDecisionMs) {
      if (a.inUtterance) this.decide('machine', 'deadline', `still talking ${ms(now)} after the answer`);
      else this.decide('unknown', 'deadline', `no clear pattern in ${ms(now)}`);
    }
  }

  private decide(answeredBy: AnsweredBy, method: DetectionMethod, reason: string): void {
    if (this.result) return;
    this.result = { answeredBy, atMs: this.activity.nowMs, method, reason, features: this.features() };
    for (const listener of [...this.verdictListeners]) listener(this.result);
  }
}

function ms(value: number): string {
  return value >= 1_000 ? `${(value / 1_000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
