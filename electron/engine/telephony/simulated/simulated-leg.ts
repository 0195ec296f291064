import type { CallLeg, CallLegEvent } from '../../ports/telephony';
import { FrameQueue } from '../../audio/frame-queue';
import { decodeG711, encodeG711, type G711Law } from '../../audio/g711';
import { frameSamples } from '../../audio/pcm';
import type { PlayoutClock } from '../../voice/playout-clock';
import type { NoiseSource } from './noise';
import { ReferenceTimeline } from './reference-transcript';
import { Listeners } from '../listeners';

export interface LineStats {
  /** Agent frames the caller heard. */
  agentFramesPlayed: number;
  clearCalls: number;
  /** Agent frames dropped from the carrier's queue by `clear()`. */
  clearedFrames: number;
  callerFramesSent: number;
  /** Inbound beats that could not be delivered because the engine side had stopped listening. */
  droppedFrames: number;
}

/**
 * A phone line with a simulated caller at the far end. Runs at real time on the shared 20 ms
 * clock: each beat delivers one caller frame to the engine (speech, or silence with optional noise)
 * and plays one queued agent frame to the caller. Both directions go through G.711 as on a real
 * 8 kHz line.
 */
export class SimulatedCallLeg implements CallLeg {
  readonly sampleRate: number;
  readonly reference = new ReferenceTimeline();
  readonly stats: LineStats = { agentFramesPlayed: 0, clearCalls: 0, clearedFrames: 0, callerFramesSent: 0, droppedFrames: 0 };
  private readonly frameSize: number;
  private readonly audioListeners = new Listeners<Int16Array>();
  private readonly eventListeners = new Listeners<CallLegEvent>();
  private readonly callerSpeech: FrameQueue;
  private readonly agentAudio: FrameQueue;
  private readonly marks: Array<{ name: string; afterFrames: number }> = [];
  private agentFramesQueued = 0;
  private beats = 0;
  private stopClock: (() => void) | undefined;
  private ended = false;
  /** The caller's ear: gets each agent frame as it plays (undefined when nothing plays). */
  onAgentAudio: ((frame: Int16Array | undefined) => void) | undefined;
  /** Every beat, after audio moved (the caller's sense of time). */
  onBeat: ((beat: number) => void) | undefined;

  constructor(
    readonly id: string,
    private readonly clock: PlayoutClock,
    options: { sampleRate?: number; law?: G711Law; noise?: NoiseSource } = {},
  ) {
    this.sampleRate = options.sampleRate ?? 8_000;
    this.law = options.law ?? 'mulaw';
    this.noise = options.noise;
    this.frameSize = frameSamples(this.sampleRate);
    this.callerSpeech = new FrameQueue({ frameSize: this.frameSize, maxFrames: 50 * 120 });
    this.agentAudio = new FrameQueue({ frameSize: this.frameSize, maxFrames: 50 * 120 });
  }

  private readonly law: G711Law;
  private readonly noise: NoiseSource | undefined;

  // ---- the engine's side (CallLeg) ----

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audioListeners.add(listener);
  }

  onEvent(listener: (event: CallLegEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  sendAudio(frame: Int16Array): void {
    if (this.ended) return;
    this.agentAudio.push(frame);
    this.agentFramesQueued += Math.ceil(frame.length / this.frameSize);
  }

  mark(name: string): void {
    this.marks.push({ name, afterFrames: this.agentFramesQueued });
  }

  clear(): void {
    this.stats.clearCalls++;
    this.stats.clearedFrames += this.agentAudio.clear();
    this.agentFramesQueued = this.stats.agentFramesPlayed;
    // Like Twilio: marks for audio that will never play are reported straight away.
    for (const m of this.marks.splice(0)) this.emit({ type: 'mark', name: m.name });
  }

  sendDtmf(_digits: string): void {
    // The simulated caller has no keypad to answer with; tones are accepted and ignored.
  }

  async hangup(): Promise<void> {
    this.end({ type: 'hangup', by: 'agent' });
  }

  // ---- the far end's side ----

  /** Starts the line: from now on a frame goes each way every 20 ms. */
  connect(by: 'human' | 'machine' | 'unknown'): void {
    if (this.ended) return;
    this.emit({ type: 'answered', by });
    this.stopClock = this.clock.add((beats) => this.beat(beats));
  }

  /** Milliseconds of inbound audio delivered so far (the engine's stream clock). */
  get streamMs(): number {
    return this.beats * 20;
  }

  /** Queues caller speech; returns when (stream ms) it will start and end. */
  speak(samples: Int16Array, text: string): { startMs: number; endMs: number } {
    const startMs = (this.beats + this.callerSpeech.length) * 20;
    this.callerSpeech.push(samples);
    this.callerSpeech.flush();
    const endMs = startMs + (samples.length * 1000) / this.sampleRate;
    if (text) this.reference.add({ text, startMs, endMs });
    return { startMs, endMs };
  }

  /** Silence in the caller's speech queue (a pause between parts). */
  pause(ms: number): void {
    this.callerSpeech.push(new Int16Array(Math.round((ms * this.sampleRate) / 1000)));
    this.callerSpeech.flush();
  }

  get callerSpeaking(): boolean {
    return this.callerSpeech.length > 0;
  }

  /** Ends the call from the far end (or the carrier). */
  end(event: CallLegEvent): void {
    if (this.ended) return;
    this.ended = true;
    this.stopClock?.();
    this.stopClock = undefined;
    this.callerSpeech.clear();
    this.agentAudio.clear();
    this.emit(event);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  emit(event: CallLegEvent): void {
    this.eventListeners.emit(event);
  }

  private beat(count: number): void {
    for (let i = 0; i < count && !this.ended; i++) {
      const speech = this.callerSpeech.shift();
      const frame = speech ?? new Int16Array(this.frameSize);
      if (speech) this.stats.callerFramesSent++;
      this.noise?.addTo(frame);
      const onLine = decodeG711(this.law, encodeG711(this.law, frame));
      this.beats++;
      if (this.audioListeners.size === 0) this.stats.droppedFrames++;
      this.audioListeners.emit(onLine);

      const agent = this.agentAudio.shift();
      if (agent) {
        this.stats.agentFramesPlayed++;
        this.onAgentAudio?.(decodeG711(this.law, encodeG711(this.law, agent)));
        while (this.marks.length > 0 && this.marks[0]!.afterFrames <= this.stats.agentFramesPlayed) this.emit({ type: 'mark', name: this.marks.shift()!.name });
      } else {
        this.onAgentAudio?.(undefined);
      }
      this.onBeat?.(this.beats);
    }
  }
}
