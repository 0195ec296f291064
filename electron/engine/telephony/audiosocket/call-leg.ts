import type { Socket } from 'node:net';
import type { Logger } from '../../logging';
import type { CallLeg, CallLegEvent } from '../../ports/telephony';
import { FrameQueue } from '../../audio/frame-queue';
import { FrameChunker, frameSamples } from '../../audio/pcm';
import { Resampler } from '../../audio/resample';
import type { PlayoutClock } from '../../voice/playout-clock';
import { encodeAudio, encodeDtmf, encodeHangup, type AudioSocketMessage } from './protocol';
import { Listeners } from '../listeners';

/** Bytes waiting in the socket beyond which outbound frames are dropped (late audio is useless). */
const MAX_SOCKET_BACKLOG = 64 * 1024;

export interface AudioSocketLegStats {
  framesIn: number;
  framesOut: number;
  /** Outbound frames dropped because the socket could not keep up. */
  droppedOut: number;
  /** Caller audio that arrived before the call was answered (not delivered). */
  framesBeforeAnswer: number;
  clearedFrames: number;
}

export interface AudioSocketLegOptions {
  sampleRate: number;
  clock: PlayoutClock;
  logger: Logger;
  /** Outbound audio held at most (frames of 20 ms). */
  maxQueuedFrames?: number;
  onEnded?: (leg: AudioSocketCallLeg) => void;
}

/**
 * One AudioSocket connection as a call leg. Caller audio (any AudioSocket rate, resampled to the
 * line's) is cut into 20 ms frames; agent audio is queued and written one frame per beat of the
 * engine's playout clock, so Asterisk receives it at real time.
 */
export class AudioSocketCallLeg implements CallLeg {
  readonly sampleRate: number;
  readonly stats: AudioSocketLegStats = { framesIn: 0, framesOut: 0, droppedOut: 0, framesBeforeAnswer: 0, clearedFrames: 0 };
  private readonly audioListeners = new Listeners<Int16Array>();
  private readonly eventListeners = new Listeners<CallLegEvent>();
  private readonly outbound: FrameQueue;
  private readonly chunker: FrameChunker;
  private readonly resamplers = new Map<number, Resampler>();
  private readonly marks: Array<{ name: string; afterFrames: number }> = [];
  private framesQueued = 0;
  private socket: Socket | undefined;
  private answered = false;
  private ended = false;
  private stopClock: (() => void) | undefined;

  constructor(
    readonly id: string,
    readonly uuid: string,
    private readonly options: AudioSocketLegOptions,
  ) {
    this.sampleRate = options.sampleRate;
    const frameSize = frameSamples(this.sampleRate);
    this.chunker = new FrameChunker(frameSize);
    this.outbound = new FrameQueue({ frameSize, maxFrames: options.maxQueuedFrames ?? 50 * 120 });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get isAnswered(): boolean {
    return this.answered;
  }

  get isConnected(): boolean {
    return this.socket !== undefined;
  }

  /** The AudioSocket connection for this call has arrived. */
  attach(socket: Socket): void {
    this.socket = socket;
  }

  /** The call is answered: audio flows both ways from now on. */
  answer(): void {
    if (this.ended || this.answered) return;
    this.answered = true;
    this.emit({ type: 'answered', by: 'unknown' });
    this.stopClock = this.options.clock.add((beats) => this.beat(beats));
  }

  /** A message from Asterisk on this call's connection. */
  receive(message: AudioSocketMessage): void {
    if (this.ended) return;
    switch (message.kind) {
      case 'audio':
        return this.onAudioIn(message.samples, message.sampleRate);
      case 'dtmf':
        if (this.answered) this.emit({ type: 'dtmf', digits: message.digit });
        return;
      case 'hangup':
        return this.end({ type: 'hangup', by: 'caller' });
      case 'error':
        // Asterisk's code 0x01 is the caller hanging up; other codes are failures on its side.
        if (message.code !== null && message.code & 0x01) return this.end({ type: 'hangup', by: 'caller' });
        this.options.logger.warn({ callId: this.id, uuid: this.uuid, code: message.code }, `AudioSocket error from Asterisk: ${message.reason}`);
        return this.end(this.answered ? { type: 'hangup', by: 'carrier' } : { type: 'failed', reason: `Asterisk: ${message.reason}` });
      case 'uuid':
        return; // only the first message names the call; the server checks that
    }
  }

  /** The connection closed without a hangup message. */
  connectionClosed(): void {
    this.socket = undefined;
    if (this.ended) return;
    this.end(this.answered ? { type: 'hangup', by: 'caller' } : { type: 'failed', reason: 'the AudioSocket connection closed before the call was answered' });
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audioListeners.add(listener);
  }

  onEvent(listener: (event: CallLegEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  sendAudio(frame: Int16Array): void {
    if (this.ended) return;
    this.outbound.push(frame);
    this.framesQueued += Math.ceil(frame.length / frameSamples(this.sampleRate));
  }

  mark(name: string): void {
    this.marks.push({ name, afterFrames: this.framesQueued });
  }

  clear(): void {
    this.stats.clearedFrames += this.outbound.clear();
    this.framesQueued = this.stats.framesOut + this.stats.droppedOut;
    for (const m of this.marks.splice(0)) this.emit({ type: 'mark', name: m.name });
  }

  sendDtmf(digits: string): void {
    for (const digit of digits) {
      try {
        this.write(encodeDtmf(digit));
      } catch (error) {
        this.options.logger.warn({ callId: this.id }, `DTMF not sent: ${(error as Error).message}`);
      }
    }
  }

  async hangup(): Promise<void> {
    if (this.ended) return;
    this.write(encodeHangup());
    this.end({ type: 'hangup', by: 'agent' });
  }

  /** Ends the call with `event` (also used by the carrier: time-outs, refusal, shutdown). */
  end(event: CallLegEvent): void {
    if (this.ended) return;
    this.ended = true;
    this.stopClock?.();
    this.stopClock = undefined;
    this.outbound.clear();
    const socket = this.socket;
    this.socket = undefined;
    socket?.end();
    // A peer that never reads must not keep the socket open.
    if (socket) setTimeout(() => socket.destroy(), 1_000).unref?.();
    this.emit(event);
    this.options.onEnded?.(this);
  }

  emit(event: CallLegEvent): void {
    this.eventListeners.emit(event);
  }

  private onAudioIn(samples: Int16Array, rate: number): void {
    let audio = samples;
    if (rate !== this.sampleRate) {
      let resampler = this.resamplers.get(rate);
      if (!resampler) this.resamplers.set(rate, (resampler = new Resampler(rate, this.sampleRate)));
      audio = resampler.process(samples);
    }
    for (const frame of this.chunker.push(audio)) {
      if (!this.answered) {
        this.stats.framesBeforeAnswer++;
        continue;
      }
      this.stats.framesIn++;
      this.audioListeners.emit(frame);
    }
  }

  private write(bytes: Buffer): boolean {
    const socket = this.socket;
    if (!socket || socket.destroyed || !socket.writable) return false;
    if (socket.writableLength > MAX_SOCKET_BACKLOG) return false;
    socket.write(bytes);
    return true;
  }

  private beat(count: number): void {
    for (let i = 0; i < count && !this.ended; i++) {
      const frame = this.outbound.shift();
      if (!frame) continue;
      if (this.write(encodeAudio(frame, this.sampleRate))) this.stats.framesOut++;
      else this.stats.droppedOut++;
      const sent = this.stats.framesOut + this.stats.droppedOut;
      while (this.marks.length > 0 && this.marks[0]!.afterFrames <= sent) this.emit({ type: 'mark', name: this.marks.shift()!.name });
    }
  }
}
