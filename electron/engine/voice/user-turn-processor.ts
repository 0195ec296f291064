import { MODEL_SAMPLE_RATE } from '../ports/audio';
import type { SpeechToText } from '../ports/speech';
import { concatPcm } from '../audio/pcm';
import { DEFAULT_ENDPOINTING, endpointDelay, isBackchannel, isShortCommand, wordCount, type EndpointingOptions } from './endpointing';
import type { Direction, Frame, FrameOf } from './frames';
import { FrameProcessor } from './processor';

/** When caller speech takes the floor from the agent. Tuned apart from listening on purpose. */
export interface BargeInOptions {
  /** Speech while the agent talks must last this long before it is even considered. */
  minSpeechMs: number;
  /** ...and contain at least this many words that are not backchannels ("uh-huh", "yeah"). 0: duration alone. */
  minWords: number;
  /** Speech this long interrupts whatever the words are (a backchannel is never this long). */
  forceAfterMs: number;
}

export interface TurnOptions {
  endpointing: EndpointingOptions;
  bargeIn: BargeInOptions;
  /** Audio kept from before the VAD said "speech" (the VAD needs a little speech to be sure). */
  prerollMs: number;
  /** Longer stretches are cut for the recognizer without ending the turn. */
  maxSegmentMs: number;
  /** Caller speech this soon after a turn ended, before the agent answered, continues that turn. */
  mergeWindowMs: number;
}

/** Keys pressed within this long of each other are one keypad turn. */
const KEYPAD_GATHER_MS = 1_200;

export const DEFAULT_TURN_OPTIONS: TurnOptions = {
  endpointing: DEFAULT_ENDPOINTING,
  bargeIn: { minSpeechMs: 300, minWords: 2, forceAfterMs: 1_500 },
  prerollMs: 200,
  maxSegmentMs: 20_000,
  mergeWindowMs: 2_500,
};

interface Segment {
  startMs: number;
  frames: Int16Array[];
  lastMs: number;
}

/**
 * Turn-taking: collects the caller's speech by VAD segment, transcribes each segment as soon as it
 * ends (so recognition overlaps the endpoint wait), waits an adaptive silence, then hands the turn
 * to the agent. While the agent speaks it decides barge-in: long enough and real words, not a
 * backchannel, then an interruption frame goes downstream.
 */
export class UserTurnProcessor extends FrameProcessor {
  private readonly preroll: Array<FrameOf<'input-audio'>> = [];
  private segment: Segment | undefined;
  private texts: Array<string | undefined> = [];
  private pendingStt = 0;
  private sttComputeMs = 0;
  private transcriptAt = 0;
  private speechEndAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Keys pressed and not yet made a turn, and the pause that ends them. */
  private keys = '';
  private keysTimer: ReturnType<typeof setTimeout> | undefined;
  private agentSpeaking = false;
  /** Set while caller speech during agent speech is still being judged. */
  private candidate: { interimRunning: boolean; decided: boolean; startedAt: number } | undefined;
  private lastTurn: { text: string; at: number; answered: boolean } | undefined;
  /** How long the last barge-in took to decide (caller speech start -> interruption), for the next turn's latency record. */
  private decisionMs: number | undefined;
  /** The caller went on within the merge window: the next turn replaces the one stored before. */
  private continuesLast = false;
  private disposed = false;
  busyMs = 0;

  constructor(
    private readonly stt: SpeechToText,
    private readonly options: TurnOptions = DEFAULT_TURN_OPTIONS,
    private readonly now: () => number = () => performance.now(),
  ) {
    super('turns');
  }

  protected override process(frame: Frame, direction: Direction): void {
    const started = this.now();
    switch (frame.type) {
      case 'input-audio':
        this.onAudio(frame);
        break;
      case 'vad-speech-start':
        this.onSpeechStart(frame);
        break;
      case 'vad-speech-stop':
        this.onSpeechStop(frame);
        break;
      case 'bot-started-speaking':
        this.agentSpeaking = true;
        if (this.lastTurn) this.lastTurn.answered = true;
        break;
      case 'bot-stopped-speaking':
        this.agentSpeaking = false;
        // Speech that began over the agent's voice is now simply the caller's turn.
        this.candidate = undefined;
        break;
      case 'cancel':
      case 'end':
        this.clearTimer();
        break;
    }
    // Caller audio stops here: the stages after turn-taking work on words (recording and supervisors
    // get the audio from the session's taps).
    if (frame.type !== 'input-audio') this.push(frame, direction);
    this.busyMs += this.now() - started;
  }

  private onAudio(frame: FrameOf<'input-audio'>): void {
    this.preroll.push(frame);
    const keep = Math.ceil(this.options.prerollMs / 20) + 1;
    while (this.preroll.length > keep) this.preroll.shift();
    const segment = this.segment;
    if (!segment) return;
    segment.frames.push(frame.samples);
    segment.lastMs = frame.streamMs + (frame.samples.length * 1000) / MODEL_SAMPLE_RATE;
    const spokenMs = segment.lastMs - segment.startMs;
    if (this.candidate && !this.candidate.decided) this.judgeCandidate(segment, spokenMs);
    if (spokenMs >= this.options.maxSegmentMs) {
      this.closeSegment(frame.receivedAt);
      this.segment = { startMs: segment.lastMs, frames: [], lastMs: segment.lastMs };
    }
  }

  private onSpeechStart(frame: FrameOf<'vad-speech-start'>): void {
    this.clearTimer();
    const from = frame.streamMs - this.options.prerollMs;
    const frames = this.preroll.filter((f) => f.streamMs >= from).map((f) => f.samples);
    const first = this.preroll.find((f) => f.streamMs >= from);
    this.segment = { startMs: first?.streamMs ?? frame.streamMs, frames, lastMs: frame.streamMs };
    if (this.agentSpeaking) {
      this.candidate = { interimRunning: false, decided: false, startedAt: this.now() };
      return;
    }
    // The caller went on before the agent answered: take back the pending answer, continue the turn.
    const last = this.lastTurn;
    if (last && !last.answered && this.now() - last.at <= this.options.mergeWindowMs && this.texts.length === 0) {
      this.texts.push(last.text);
      this.lastTurn = undefined;
      this.continuesLast = true;
      this.push({ kind: 'system', type: 'interruption', at: this.now() });
    }
  }

  private onSpeechStop(frame: FrameOf<'vad-speech-stop'>): void {
    if (!this.segment) return;
    this.speechEndAt = frame.at;
    const candidate = this.candidate;
    if (candidate && !candidate.decided) {
      // Speech over the agent ended before it was judged: a backchannel, or a short real interruption.
      const segment = this.segment;
      this.segment = undefined;
      candidate.decided = true;
      void this.transcribe(segment).then(({ text, ms }) => {
        if (this.disposed) return;
        if (this.candidate !== candidate) return this.acceptSegmentText(text, ms); // agent finished meanwhile
        this.candidate = undefined;
        if (this.isInterruption(text)) {
          this.interrupt(candidate.startedAt);
          this.acceptSegmentText(text, ms);
        } else if (text.trim()) {
          this.push({ kind: 'system', type: 'backchannel', text: text.trim(), at: this.now() });
        }
      });
      return;
    }
    this.closeSegment(frame.at);
  }

  /** Ends the current segment: transcribe it and (re)arm the endpoint timer. */
  private closeSegment(at: number): void {
    const segment = this.segment;
    this.segment = undefined;
    if (!segment) return;
    this.speechEndAt = at;
    const index = this.texts.length;
    this.texts.push(undefined);
    this.pendingStt++;
    void this.transcribe(segment).then(({ text, ms }) => {
      this.texts[index] = text;
      this.pendingStt--;
      this.sttComputeMs += ms;
      this.transcriptAt = this.now();
      this.pushInterim();
      this.armEndpoint();
    });
    this.armEndpoint();
  }

  private acceptSegmentText(text: string, ms: number): void {
    this.texts.push(text);
    this.sttComputeMs += ms;
    this.transcriptAt = this.now();
    this.pushInterim();
    this.armEndpoint();
  }

  /** The words of the turn so far, for the console, while the endpoint wait is still running. */
  private pushInterim(): void {
    const text = this.turnText();
    if (text && !this.disposed) this.push({ kind: 'system', type: 'interim-transcript', text });
  }

  private judgeCandidate(segment: Segment, spokenMs: number): void {
    const candidate = this.candidate!;
    const o = this.options.bargeIn;
    if (spokenMs >= o.forceAfterMs || (o.minWords === 0 && spokenMs >= o.minSpeechMs)) {
      candidate.decided = true;
      this.candidate = undefined;
      this.interrupt(candidate.startedAt);
      return;
    }
    if (spokenMs < o.minSpeechMs || candidate.interimRunning) return;
    candidate.interimRunning = true;
    void this.transcribe({ ...segment, frames: [...segment.frames] }).then(({ text }) => {
      candidate.interimRunning = false;
      if (this.disposed || candidate.decided || this.candidate !== candidate) return;
      if (this.isInterruption(text)) {
        candidate.decided = true;
        this.candidate = undefined;
        this.interrupt(candidate.startedAt);
      }
    });
  }

  /** Real words over the agent: enough of them and not a backchannel, or a short command ("no", "wait"). */
  private isInterruption(text: string): boolean {
    if (isShortCommand(text)) return true;
    return wordCount(text) >= Math.max(1, this.options.bargeIn.minWords) && !isBackchannel(text);
  }

  private interrupt(speechStartedAt: number): void {
    this.decisionMs = this.now() - speechStartedAt;
    this.agentSpeaking = false;
    this.push({ kind: 'system', type: 'interruption', at: this.now() });
  }

  private armEndpoint(): void {
    this.clearTimer();
    if (this.segment || this.texts.length === 0 || this.disposed) return;
    const text = this.pendingStt > 0 ? undefined : this.turnText();
    const { delayMs } = endpointDelay(text, this.options.endpointing);
    const wait = this.speechEndAt + delayMs - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => this.armEndpoint(), wait);
      return;
    }
    if (this.pendingStt > 0) return; // the transcript's arrival re-arms
    this.endTurn();
  }

  private endTurn(): void {
    const text = this.turnText();
    const { delayMs, reason } = endpointDelay(text, this.options.endpointing);
    const timing = {
      speechEndAt: this.speechEndAt,
      turnEndAt: this.now(),
      transcriptAt: this.transcriptAt,
      endpointMs: delayMs,
      endpointReason: reason,
      sttComputeMs: this.sttComputeMs,
      ...(this.decisionMs !== undefined ? { interruptDecisionMs: Math.round(this.decisionMs) } : {}),
    };
    const continues = this.continuesLast;
    this.texts = [];
    this.sttComputeMs = 0;
    this.continuesLast = false;
    if (!text) return; // noise the recognizer heard no words in
    this.decisionMs = undefined;
    this.lastTurn = { text, at: timing.turnEndAt, answered: false };
    this.push({ kind: 'control', type: 'user-turn', text, timing, ...(continues ? { continues: true } : {}) });
  }

  private turnText(): string {
    return this.texts
      .filter((t): t is string => Boolean(t && t.trim()))
      .map((t) => t.trim())
      .join(' ');
  }

  private async transcribe(segment: Segment): Promise<{ text: string; ms: number }> {
    const started = this.now();
    try {
      const audio = concatPcm(segment.frames);
      const result = await this.stt.transcribe(audio, { segment: { startMs: segment.startMs, endMs: segment.lastMs } });
      return { text: result.text.trim(), ms: this.now() - started };
    } catch (error) {
      this.push({ kind: 'system', type: 'error', stage: 'stt', message: `Speech recognition failed: ${(error as Error).message}`, fatal: false }, 'upstream');
      return { text: '', ms: this.now() - started };
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Keys pressed on the phone (DTMF) make a turn of their own, "(pressed 1 on the keypad)": keys
   * pressed in a row are gathered until a short pause or `#`, so a typed number is one turn.
   */
  keypad(digits: string): void {
    if (this.disposed) return;
    this.keys += digits;
    if (this.keysTimer) clearTimeout(this.keysTimer);
    this.keysTimer = undefined;
    if (digits.includes('#')) return this.keypadTurn();
    this.keysTimer = setTimeout(() => this.keypadTurn(), KEYPAD_GATHER_MS);
  }

  private keypadTurn(): void {
    this.keysTimer = undefined;
    const keys = this.keys;
    this.keys = '';
    if (!keys || this.disposed) return;
    const at = this.now();
    const text = `(pressed ${keys.split('').join(' ')} on the keypad)`;
    this.lastTurn = { text, at, answered: false };
    this.push({ kind: 'control', type: 'user-turn', text, timing: { speechEndAt: at, turnEndAt: at, transcriptAt: at, endpointMs: 0, endpointReason: 'keypad', sttComputeMs: 0 } });
  }

  override dispose(): void {
    this.disposed = true;
    this.clearTimer();
    if (this.keysTimer) clearTimeout(this.keysTimer);
  }
}
