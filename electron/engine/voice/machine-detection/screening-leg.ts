import type { CallLeg, CallLegEvent, LegPlayout } from '../../ports/telephony';
import { MODEL_SAMPLE_RATE } from '../../ports/audio';
import { concatPcm } from '../../audio/pcm';
import { Resampler } from '../../audio/resample';
import { MachineDetector, type Confirmation, type MachineDetectionOptions, type MachineVerdict } from './machine-detector';
import type { Tone } from './tone-detector';
import { Listeners } from '../../telephony/listeners';

export interface ScreeningOptions {
  detection?: Partial<MachineDetectionOptions>;
  /** Recognizes the greeting's first words (16 kHz PCM16) for transcript cues; absent: audio only. */
  transcribe?: (audio: Int16Array, segment: { startMs: number; endMs: number }, signal: AbortSignal) => Promise<string>;
  /** Speech heard before the greeting is transcribed (a "Hello?" is never sent). */
  transcribeAfterSpeechMs?: number;
  onIssue?: (message: string) => void;
  /**
   * Keep screening after a machine verdict drawn from the sound alone until it is confirmed or refuted
   * (a campaign that hangs up on machines must not hang up on a receptionist's long greeting).
   */
  confirmMachines?: boolean;
}

/** At most this much greeting audio is kept for the recognizer. */
const MAX_TRANSCRIBE_MS = 4_000;
/** A line that stops delivering audio still gets its answer this long after the verdict was due. */
const STALL_GRACE_MS = 1_000;

/**
 * A call leg on a line without carrier answering-machine detection, screened by Parley: the carrier's
 * `answered` is held back until the detector's verdict and then passed on with it, so the rest of the
 * engine sees what a carrier with detection would say. While screening, the session above hears
 * silence in place of the caller (it must not answer the greeting), and stream time stays that of the line.
 * After a machine verdict the detector keeps listening and reports the beep.
 */
export class MachineScreeningLeg implements CallLeg {
  readonly detector: MachineDetector;
  private readonly audioListeners = new Listeners<Int16Array>();
  private readonly eventListeners = new Listeners<CallLegEvent>();
  private readonly beepListeners = new Listeners<Tone>();
  private readonly unsubscribe: Array<() => void> = [];
  private answered = false;
  /** Parley listens (the carrier answered "unknown"); false when the carrier gave its own verdict. */
  private detecting = false;
  private screening = false;
  private streamMs = 0;
  private greeting: Int16Array[] = [];
  private greetingStartMs: number | undefined;
  private readonly resampler: Resampler;
  private transcribing = false;
  /** Cancels a greeting transcription nobody needs any more (verdict given, call over). */
  private readonly transcription = new AbortController();
  private stallTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly inner: CallLeg,
    private readonly options: ScreeningOptions = {},
  ) {
    this.detector = new MachineDetector(inner.sampleRate, options.detection);
    this.resampler = new Resampler(inner.sampleRate, MODEL_SAMPLE_RATE);
    this.detector.onVerdict((verdict) => this.onVerdict(verdict));
    this.detector.onConfirmation(() => {
      this.screening = false;
      this.transcription.abort();
    });
    this.detector.onBeep((beep) => {
      this.beepListeners.emit(beep);
    });
    this.unsubscribe.push(inner.onAudio((frame) => this.onInnerAudio(frame)));
    this.unsubscribe.push(inner.onEvent((event) => this.onInnerEvent(event)));
  }

  get id(): string {
    return this.inner.id;
  }

  get sampleRate(): number {
    return this.inner.sampleRate;
  }

  /** Parley's verdict, once given (undefined when the carrier answered with its own). */
  get verdict(): MachineVerdict | undefined {
    return this.detector.verdict;
  }

  get confirmation(): Confirmation | undefined {
    return this.detector.confirmation;
  }

  onConfirmation(listener: (confirmation: Confirmation) => void): () => void {
    return this.detector.onConfirmation(listener);
  }

  onBeep(listener: (beep: Tone) => void): () => void {
    return this.beepListeners.add(listener);
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audioListeners.add(listener);
  }

  onEvent(listener: (event: CallLegEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  sendAudio(frame: Int16Array): void {
    this.inner.sendAudio(frame);
  }

  mark(name: string): void {
    this.inner.mark(name);
  }

  clear(): void {
    this.inner.clear();
  }

  sendDtmf(digits: string): void {
    this.inner.sendDtmf(digits);
  }

  hangup(): Promise<void> {
    return this.inner.hangup();
  }

  get deskPhones(): boolean | undefined {
    return this.inner.deskPhones;
  }

  get playout(): LegPlayout | undefined {
    return this.inner.playout;
  }

  get transfer(): ((target: string) => Promise<void>) | undefined {
    const inner = this.inner;
    return inner.transfer ? (target) => inner.transfer!(target) : undefined;
  }

  private emit(event: CallLegEvent): void {
    this.eventListeners.emit(event);
  }

  private onInnerEvent(event: CallLegEvent): void {
    if (event.type === 'answered' && !this.answered) {
      this.answered = true;
      // A carrier that decided after all is believed; otherwise Parley listens first.
      if (event.by !== 'unknown') return this.emit(event);
      this.detecting = true;
      this.screening = true;
      this.stallTimer = setTimeout(() => this.onStall(), this.detector.options.maxDecisionMs + STALL_GRACE_MS);
      this.stallTimer.unref?.();
      return;
    }
    if (event.type === 'hangup' || event.type === 'failed' || event.type === 'busy' || event.type === 'no-answer' || event.type === 'invalid-number') {
      this.screening = false;
      this.transcription.abort();
      if (this.stallTimer) clearTimeout(this.stallTimer);
      for (const off of this.unsubscribe.splice(0)) off();
    }
    this.emit(event);
  }

  private onInnerAudio(frame: Int16Array): void {
    if (!this.detecting) return this.deliver(frame);
    this.streamMs += (frame.length * 1000) / this.inner.sampleRate;
    if (!this.detector.finished) {
      this.detector.push(frame);
      this.collectGreeting(frame);
    }
    // Still screening after the push: the session hears silence in the caller's place.
    this.deliver(this.screening ? new Int16Array(frame.length) : frame);
  }

  private deliver(frame: Int16Array): void {
    this.audioListeners.emit(frame);
  }

  /** The line went quiet without even silence frames: answer as unknown rather than wait for ever. */
  private onStall(): void {
    if (!this.screening) return;
    this.screening = false;
    this.options.onIssue?.(`no verdict: the line delivered ${Math.round(this.streamMs)} ms of audio in ${this.detector.options.maxDecisionMs + STALL_GRACE_MS} ms`);
    this.emit({ type: 'answered', by: 'unknown' });
  }

  private onVerdict(verdict: MachineVerdict): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    if (!this.screening) return this.transcription.abort();
    this.screening = Boolean(this.options.confirmMachines && verdict.answeredBy === 'machine' && !this.detector.confirmation);
    // A machine still to be confirmed may yet be confirmed by the transcript: that one keeps running.
    if (!this.screening) this.transcription.abort();
    this.greeting = [];
    this.emit({ type: 'answered', by: verdict.answeredBy });
  }

  private collectGreeting(frame: Int16Array): void {
    const transcribe = this.options.transcribe;
    if (!transcribe || this.transcribing || !this.screening) return;
    const speechStart = this.detector.features().initialSilenceMs;
    if (speechStart === null) return;
    this.greetingStartMs ??= this.streamMs - (frame.length * 1000) / this.inner.sampleRate;
    if (this.streamMs - this.greetingStartMs <= MAX_TRANSCRIBE_MS) this.greeting.push(this.resampler.process(frame));
    if (this.detector.features().speechMs < (this.options.transcribeAfterSpeechMs ?? 1_500)) return;
    this.transcribing = true;
    const audio = concatPcm(this.greeting);
    this.greeting = [];
    const segment = { startMs: this.greetingStartMs, endMs: this.streamMs };
    const signal = this.transcription.signal;
    transcribe(audio, segment, signal).then(
      (text) => this.detector.hearTranscript(text),
      (error: unknown) => {
        if (!signal.aborted) this.options.onIssue?.(`greeting transcription failed: ${(error as Error)?.message ?? String(error)}`);
      },
    );
  }
}
