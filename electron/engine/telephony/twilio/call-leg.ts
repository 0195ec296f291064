import type { Logger } from '../../logging';
import type { CallLeg, CallLegEvent, LegPlayout } from '../../ports/telephony';
import { FrameQueue } from '../../audio/frame-queue';
import { FrameChunker, frameSamples } from '../../audio/pcm';
import type { PlayoutClock } from '../../voice/playout-clock';
import { Listeners } from '../listeners';
import { clearMessage, markMessage, mediaMessage, MEDIA_STREAM_RATE, type MediaStreamEvent } from './media-stream-serializer';

/** The Media Streams socket as the leg uses it (a `ws` WebSocket). */
export interface StreamSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount: number;
  readonly readyState: number;
}

const OPEN = 1;
/** Bytes waiting in the socket beyond which outbound frames are dropped (late audio is useless). */
const MAX_SOCKET_BACKLOG = 64 * 1024;
/** A progress mark every this many frames: Twilio's echo says what the caller has heard. */
const PROGRESS_EVERY_FRAMES = 5;

/** Twilio's call states (status callbacks' `CallStatus`). */
export type TwilioCallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'answered' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface TwilioLegStats {
  framesIn: number;
  framesOut: number;
  /** Outbound frames dropped because the socket could not keep up. */
  droppedOut: number;
  clearedFrames: number;
  /** Caller audio before the call counted as answered (not delivered). */
  framesBeforeAnswer: number;
}

export interface TwilioLegOptions {
  direction: 'outbound' | 'inbound';
  clock: PlayoutClock;
  logger: Logger;
  /** Ends the Twilio call through the REST API (the only way a Twilio call really ends). */
  endCall: (callSid: string, status: 'completed' | 'canceled') => Promise<void>;
  /** Gives the live call new instructions (a transfer): `<Dial>` to a number or a desk agent's phone. */
  redirect: (callSid: string, target: { number: string } | { client: string }) => Promise<void>;
  /** Wait for Twilio's machine verdict this long after the stream starts (0: no verdict asked). */
  machineVerdictWaitMs: number;
  maxQueuedFrames?: number;
  onEnded?: (leg: TwilioCallLeg) => void;
}

/** Twilio's AnsweredBy values as the port's answer. */
export function answeredByOf(value: string): 'human' | 'machine' | 'unknown' {
  if (value === 'human') return 'human';
  if (value.startsWith('machine') || value === 'fax') return 'machine';
  return 'unknown';
}

/**
 * One Twilio call as a call leg. Status callbacks and the machine verdict arrive over HTTP, audio over
 * the Media Streams socket; the leg is answered once its stream has started (and, on outbound calls
 * with detection, once Twilio has said who answered or the wait is over). Agent audio goes out one
 * 20 ms frame per beat of the engine's playout clock, never in bursts; a progress mark every 100 ms
 * comes back from Twilio as the audio is played, so `playout.heard()` is what the caller heard.
 */
export class TwilioCallLeg implements CallLeg {
  readonly sampleRate = MEDIA_STREAM_RATE;
  readonly deskPhones = true;
  readonly stats: TwilioLegStats = { framesIn: 0, framesOut: 0, droppedOut: 0, clearedFrames: 0, framesBeforeAnswer: 0 };
  callSid: string | undefined;
  private streamSid: string | undefined;
  private socket: StreamSocket | undefined;
  private readonly audioListeners = new Listeners<Int16Array>();
  private readonly eventListeners = new Listeners<CallLegEvent>();
  private readonly outbound: FrameQueue;
  private readonly chunker = new FrameChunker(frameSamples(MEDIA_STREAM_RATE));
  /** Marks asked for by the engine, waiting for their frames to be sent. */
  private readonly localMarks: Array<{ name: string; afterFrames: number }> = [];
  /** Marks sent to Twilio, not echoed yet, in order. */
  private readonly sentMarks: Array<{ wire: string; name?: string; frames: number }> = [];
  /** Marks Twilio still holds from before a `clear`: their echo means "dropped", not "played". */
  private readonly clearedMarks = new Set<string>();
  /** Positions in the outbound stream (frames): handed over, confirmed played, and where the last `clear` cut. */
  private submitted = 0;
  private heardFrames = 0;
  private clearedAt = 0;
  private markSeq = 0;
  private answered = false;
  private ended = false;
  private streamStarted = false;
  private verdict: 'human' | 'machine' | 'unknown' | undefined;
  private verdictTimer: ReturnType<typeof setTimeout> | undefined;
  private stopClock: (() => void) | undefined;
  private carrierAnswered = false;
  private readonly seenStatuses = new Set<string>();

  /** Positions, not counts: frames a `clear` dropped keep their place, so `heard() - submitted-at-start` is one utterance's heard part. */
  readonly playout: LegPlayout = {
    submitted: () => this.submitted,
    heard: () => this.heardFrames,
  };

  constructor(
    readonly id: string,
    private readonly options: TwilioLegOptions,
  ) {
    this.outbound = new FrameQueue({ frameSize: frameSamples(MEDIA_STREAM_RATE), maxFrames: options.maxQueuedFrames ?? 50 * 120 });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audioListeners.add(listener);
  }

  onEvent(listener: (event: CallLegEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  /** The stream's socket is open (the `start` message names its stream). */
  attach(socket: StreamSocket): void {
    this.socket = socket;
  }

  /** A status callback. Repeats (Twilio retries, duplicates) change nothing. */
  status(status: TwilioCallStatus, answeredBy?: string): void {
    if (this.seenStatuses.has(status) || this.ended) return;
    this.seenStatuses.add(status);
    switch (status) {
      case 'ringing':
        return this.emit({ type: 'ringing' });
      case 'in-progress':
      case 'answered':
        this.carrierAnswered = true;
        // With synchronous detection Twilio says who answered here already.
        if (answeredBy) this.machineVerdict(answeredBy);
        return;
      case 'completed':
        return this.end(this.answered || this.carrierAnswered ? { type: 'hangup', by: 'caller' } : { type: 'no-answer' }, false);
      case 'busy':
        return this.end({ type: 'busy' }, false);
      case 'no-answer':
        return this.end({ type: 'no-answer' }, false);
      case 'canceled':
        return this.end(this.answered ? { type: 'hangup', by: 'carrier' } : { type: 'no-answer' }, false);
      case 'failed':
        return this.end({ type: 'failed', reason: 'Twilio could not place the call' }, false);
      default:
        return; // queued, initiated: nothing the engine acts on
    }
  }

  /** Twilio's machine verdict (asynchronous detection). */
  machineVerdict(answeredBy: string): void {
    if (this.verdict !== undefined) return;
    this.verdict = answeredByOf(answeredBy);
    if (this.answered && this.verdict !== 'human') {
      this.options.logger.info({ callId: this.id, answeredBy }, 'Twilio\'s machine verdict came after the call was answered; the call goes on as answered');
    }
    this.maybeAnswer();
  }

  /** A message on this call's stream. */
  receive(event: MediaStreamEvent): void {
    if (this.ended) return;
    switch (event.kind) {
      case 'connected':
        return;
      case 'start':
        this.streamSid = event.streamSid;
        this.callSid ??= event.callSid;
        this.streamStarted = true;
        if (this.options.direction === 'outbound' && this.options.machineVerdictWaitMs > 0 && this.verdict === undefined) {
          this.verdictTimer = setTimeout(() => {
            this.verdict ??= 'unknown';
            this.maybeAnswer();
          }, this.options.machineVerdictWaitMs);
        }
        return this.maybeAnswer();
      case 'media':
        for (const frame of this.chunker.push(event.samples)) {
          if (!this.answered) {
            this.stats.framesBeforeAnswer++;
            continue;
          }
          this.stats.framesIn++;
          this.audioListeners.emit(frame);
        }
        return;
      case 'dtmf':
        if (this.answered) this.emit({ type: 'dtmf', digits: event.digit });
        return;
      case 'mark':
        return this.onMarkEcho(event.name);
      case 'stop':
        // The call ended on Twilio's side (the caller hung up, or our REST hang-up took effect).
        return this.end(this.answered ? { type: 'hangup', by: 'caller' } : { type: 'failed', reason: 'the media stream stopped before the call was answered' }, false);
    }
  }

  /** The stream's socket closed. A Twilio call does not end with its socket: end it through REST. */
  streamClosed(): void {
    this.socket = undefined;
    if (this.ended) return;
    this.options.logger.warn({ callId: this.id, callSid: this.callSid }, 'the Twilio media stream closed without a stop message; ending the call through the REST API');
    this.end(this.answered ? { type: 'hangup', by: 'carrier' } : { type: 'failed', reason: 'the media stream closed before the call was answered' }, true);
  }

  sendAudio(frame: Int16Array): void {
    if (this.ended) return;
    this.outbound.push(frame);
    this.submitted += Math.ceil(frame.length / frameSamples(MEDIA_STREAM_RATE));
  }

  mark(name: string): void {
    this.localMarks.push({ name, afterFrames: this.submitted });
  }

  clear(): void {
    this.stats.clearedFrames += this.outbound.clear();
    // What was never sent was never heard; what Twilio holds is dropped by `clear` and echoed back.
    this.submitted = this.stats.framesOut + this.stats.droppedOut;
    this.clearedAt = this.submitted;
    for (const m of this.localMarks.splice(0)) this.emit({ type: 'mark', name: m.name });
    for (const m of this.sentMarks.splice(0)) {
      this.clearedMarks.add(m.wire);
      if (m.name !== undefined) this.emit({ type: 'mark', name: m.name });
    }
    if (this.streamSid) this.write(clearMessage(this.streamSid));
  }

  sendDtmf(_digits: string): void {
    // Media Streams carry no outbound DTMF; Twilio plays digits only through TwiML (<Play digits>).
    this.options.logger.warn({ callId: this.id }, 'DTMF cannot be sent on a Twilio media stream');
  }

  async hangup(): Promise<void> {
    if (this.ended) return;
    this.end({ type: 'hangup', by: 'agent' }, true);
  }

  /**
   * Puts the caller through to a number (E.164) or a desk agent's Voice SDK phone (`client:<id>`):
   * Twilio leaves the stream for a `<Dial>`, and the call goes on without Parley.
   */
  async transfer(target: string): Promise<void> {
    if (this.ended || !this.answered || !this.callSid) throw new Error('Only a connected call can be transferred');
    const callSid = this.callSid;
    if (target.startsWith('client:')) {
      await this.options.redirect(callSid, { client: target.slice('client:'.length) });
    } else {
      if (!/^\+[1-9]\d{6,14}$/.test(target)) throw new Error(`${target} is not an E.164 number`);
      await this.options.redirect(callSid, { number: target });
    }
    // The stream stops as Twilio follows the new instructions; the call itself goes on.
    this.end({ type: 'hangup', by: 'agent' }, false);
  }

  /** Ends the leg with `event`; `viaRest` also ends the Twilio call (the agent hangs up, the line shuts down). */
  end(event: CallLegEvent, viaRest: boolean): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.verdictTimer);
    this.stopClock?.();
    this.stopClock = undefined;
    this.outbound.clear();
    if (viaRest && this.callSid) {
      const callSid = this.callSid;
      const status = this.answered || this.carrierAnswered || this.streamStarted ? 'completed' : 'canceled';
      void this.options.endCall(callSid, status).catch((error: unknown) => this.options.logger.warn({ callId: this.id, callSid, err: error }, 'Twilio hang-up failed'));
    }
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState === OPEN) socket.close(1000, 'call ended');
    this.emit(event);
    this.options.onEnded?.(this);
  }

  emit(event: CallLegEvent): void {
    this.eventListeners.emit(event);
  }

  private maybeAnswer(): void {
    if (this.answered || this.ended || !this.streamStarted) return;
    const waiting = this.options.direction === 'outbound' && this.options.machineVerdictWaitMs > 0 && this.verdict === undefined;
    if (waiting) return;
    clearTimeout(this.verdictTimer);
    this.answered = true;
    this.emit({ type: 'answered', by: this.verdict ?? 'unknown' });
    this.stopClock = this.options.clock.add((beats) => this.beat(beats));
  }

  private onMarkEcho(wire: string): void {
    if (this.clearedMarks.delete(wire)) return;
    const index = this.sentMarks.findIndex((m) => m.wire === wire);
    if (index < 0) return;
    // Twilio echoes in order: everything up to this mark has played.
    for (const m of this.sentMarks.splice(0, index + 1)) {
      this.heardFrames = Math.max(this.heardFrames, m.frames);
      if (m.name !== undefined) this.emit({ type: 'mark', name: m.name });
    }
  }

  private write(text: string): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN || socket.bufferedAmount > MAX_SOCKET_BACKLOG) return false;
    socket.send(text);
    return true;
  }

  private sendMark(frames: number, name?: string): void {
    if (!this.streamSid) return;
    const wire = `${name === undefined ? 'p' : 'm'}${++this.markSeq}`;
    if (this.write(markMessage(this.streamSid, wire))) this.sentMarks.push({ wire, name, frames });
    else if (name !== undefined) this.emit({ type: 'mark', name });
  }

  private beat(count: number): void {
    if (!this.streamSid) return;
    for (let i = 0; i < count && !this.ended; i++) {
      const frame = this.outbound.shift();
      if (!frame) continue;
      if (this.write(mediaMessage(this.streamSid, frame))) this.stats.framesOut++;
      else this.stats.droppedOut++;
      const sent = this.stats.framesOut + this.stats.droppedOut;
      if (sent % PROGRESS_EVERY_FRAMES === 0) this.sendMark(sent);
      while (this.localMarks.length > 0 && this.localMarks[0]!.afterFrames <= sent) this.sendMark(sent, this.localMarks.shift()!.name);
    }
    // An utterance that ends between progress marks: mark its end so its last frames count as heard.
    const sent = this.stats.framesOut + this.stats.droppedOut;
    if (this.outbound.length === 0 && sent > this.clearedAt && sent > this.heardFrames && !this.sentMarks.some((m) => m.frames === sent)) this.sendMark(sent);
  }
}
