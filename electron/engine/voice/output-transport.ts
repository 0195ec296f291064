import type { CallLeg } from '../ports/telephony';
import { FrameQueue } from '../audio/frame-queue';
import { frameSamples } from '../audio/pcm';
import type { Direction, Frame } from './frames';
import type { PlayoutClock } from './playout-clock';
import { FrameProcessor } from './processor';
import type { SpeechHandle } from './speech-handle';

export interface OutputStats {
  sentFrames: number;
  /** Beats on which an utterance was playing but its next audio was not ready yet (a gap). */
  underruns: number;
  /** Frames removed on barge-in before they were sent. */
  clearedFrames: number;
  interruptions: number;
}

/**
 * The pipeline's end: paces agent audio to the carrier in real time on the shared 20 ms clock, a
 * couple of frames ahead to absorb jitter, and keeps each utterance's "played" position current.
 * On an interruption it stops before the next frame, drops what it still holds and tells the
 * carrier to drop what it has queued (`clear()`).
 *
 * Utterances arrive one after the other: the ordered loop waits at each `agent-reply-end` until that
 * utterance has played, so the next one's audio is not even looked at before.
 */
export class OutputTransport extends FrameProcessor {
  private readonly queue: FrameQueue;
  private readonly frameSize: number;
  private current: SpeechHandle | undefined;
  private sentForCurrent = 0;
  /** The leg's submitted-frame count when the current utterance's first frame went out. */
  private legFramesBefore = 0;
  private replyEnded = false;
  private drainBeats = 0;
  private stopTicking: (() => void) | undefined;
  private closed = false;
  readonly stats: OutputStats = { sentFrames: 0, underruns: 0, clearedFrames: 0, interruptions: 0 };

  constructor(
    private readonly leg: CallLeg,
    private readonly clock: PlayoutClock,
    private readonly onAudioSent: (frame: Int16Array) => void = () => undefined,
    /** Frames sent ahead of real time (the carrier's own jitter buffer holds them). */
    private readonly leadFrames = 2,
    private readonly now: () => number = () => performance.now(),
  ) {
    super('output');
    this.frameSize = frameSamples(leg.sampleRate);
    this.queue = new FrameQueue({ frameSize: this.frameSize, maxFrames: 50 * 300 });
  }

  protected override async process(frame: Frame, direction: Direction): Promise<void> {
    if (direction === 'upstream') return this.push(frame, direction);
    switch (frame.type) {
      case 'tts-audio':
        return this.onAudio(frame.handle, frame.samples);
      case 'interruption':
      case 'cancel':
        this.interrupt();
        return this.push(frame);
      case 'agent-reply-end':
        if (frame.handle === this.current) {
          this.replyEnded = true;
        } else if (!frame.handle.finished) {
          frame.handle.finish(); // no audio ever came (an empty reply)
        }
        await frame.handle.done;
        return this.push(frame);
      case 'agent-action':
        // A goodbye the caller talked over does not hang up on them.
        if (frame.action.type === 'end-call' && frame.handle?.interrupted) return;
        return this.push(frame);
      case 'end':
        if (this.current) await this.current.done;
        return this.push(frame);
      default:
        return this.push(frame);
    }
  }

  private onAudio(handle: SpeechHandle, samples: Int16Array): void {
    if (handle.finished || this.closed) return;
    if (handle !== this.current) {
      if (this.current) this.complete(this.current);
      this.current = handle;
      this.sentForCurrent = 0;
      this.replyEnded = false;
      this.drainBeats = 0;
      this.stopTicking ??= this.clock.add((beats) => this.tick(beats));
    }
    this.queue.push(samples);
    if (this.sentForCurrent === 0) this.send(this.leadFrames); // the first audio goes out now, not on the next beat
  }

  private tick(beats: number): void {
    const handle = this.current;
    if (!handle) return;
    if (this.queue.length > 0) return this.send(beats);
    if (this.replyEnded) {
      // The carrier still holds the lead frames; the utterance is over once they have played.
      this.drainBeats += beats;
      if (this.drainBeats >= this.leadFrames) this.complete(handle);
    } else if (this.sentForCurrent > 0) {
      this.stats.underruns += beats;
    }
  }

  private send(count: number): void {
    const handle = this.current!;
    for (let i = 0; i < count; i++) {
      const frame = this.queue.shift();
      if (!frame) break;
      if (this.sentForCurrent === 0) {
        this.legFramesBefore = this.leg.playout?.submitted() ?? 0;
        handle.timing.firstAudioAt = this.now();
        handle.markPlaying();
        this.push({ kind: 'system', type: 'bot-started-speaking', handle }, 'upstream');
      }
      this.leg.sendAudio(frame);
      this.onAudioSent(frame);
      this.sentForCurrent++;
      this.stats.sentFrames++;
    }
    handle.setPlayed(this.heardOfCurrent() * this.frameSize);
  }

  /**
   * Frames of the current utterance the caller has heard: what the carrier confirms (Twilio's echoed
   * marks) where it can, otherwise everything sent but the lead frames still in the carrier's buffer.
   */
  private heardOfCurrent(): number {
    const playout = this.leg.playout;
    if (!playout) return Math.max(0, this.sentForCurrent - this.leadFrames);
    return Math.min(this.sentForCurrent, Math.max(0, playout.heard() - this.legFramesBefore));
  }

  private complete(handle: SpeechHandle): void {
    handle.setPlayed(this.sentForCurrent * this.frameSize);
    handle.finish();
    if (this.current === handle) this.current = undefined;
    this.push({ kind: 'system', type: 'bot-stopped-speaking', handle, interrupted: false }, 'upstream');
  }

  private interrupt(): void {
    this.stats.clearedFrames += this.queue.clear();
    const handle = this.current;
    this.current = undefined;
    if (!handle) return;
    if (!handle.finished) {
      this.stats.interruptions++;
      // Frames still in the carrier's buffer are being cleared: the caller never heard them.
      handle.setPlayed(this.heardOfCurrent() * this.frameSize);
      this.leg.clear();
      handle.interrupt();
    }
    this.push({ kind: 'system', type: 'bot-stopped-speaking', handle, interrupted: true }, 'upstream');
  }

  override dispose(): void {
    this.closed = true;
    this.stopTicking?.();
    this.stopTicking = undefined;
    this.queue.clear();
    this.current?.interrupt();
    this.current = undefined;
  }
}
