import type { AudioFrame } from '../../../contracts';
import type { CallLeg, CallLegEvent } from '../../ports/telephony';
import { FrameChunker, frameSamples } from '../../audio/pcm';
import { Resampler } from '../../audio/resample';
import { Listeners } from '../listeners';

/** The desk agent's end of the audio stream: their speakers (and a `clear` to drop queued audio). */
export interface SoftphoneEndpoint {
  send(frame: AudioFrame): void;
  close(reason: string): void;
}

export interface SoftphoneStats {
  micFrames: number;
  agentFrames: number;
  clears: number;
}

/**
 * One test call on the desk agent's own microphone and speakers: a wideband (16 kHz) line whose
 * far end is the console. Microphone audio comes in at whatever rate the browser records, and is
 * resampled and cut into 20 ms frames; agent audio goes out as it is paced by the pipeline.
 */
export class SoftphoneLeg implements CallLeg {
  readonly sampleRate = 16_000;
  readonly stats: SoftphoneStats = { micFrames: 0, agentFrames: 0, clears: 0 };
  private readonly audioListeners = new Listeners<Int16Array>();
  private readonly eventListeners = new Listeners<CallLegEvent>();
  private readonly chunker = new FrameChunker(frameSamples(16_000));
  private readonly resamplers = new Map<number, Resampler>();
  private endpoint: SoftphoneEndpoint | undefined;
  private ended = false;
  private dialled = false;
  private answered = false;

  constructor(readonly id: string) {}

  // ---- the engine's side (CallLeg) ----

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audioListeners.add(listener);
  }

  onEvent(listener: (event: CallLegEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  sendAudio(frame: Int16Array): void {
    if (this.ended || !this.endpoint) return;
    this.stats.agentFrames++;
    this.endpoint.send({ kind: 'agent', callId: this.id, sampleRate: this.sampleRate, samples: frame });
  }

  mark(name: string): void {
    // The console does not report playback; audio sent is as good as played on a local link.
    queueMicrotask(() => this.emit({ type: 'mark', name }));
  }

  clear(): void {
    this.stats.clears++;
    this.endpoint?.send({ kind: 'clear', callId: this.id, sampleRate: 0 });
  }

  sendDtmf(_digits: string): void {
    // Tones mean nothing to a person at a headset; accepted and ignored.
  }

  async hangup(): Promise<void> {
    this.end({ type: 'hangup', by: 'agent' }, 'The agent ended the call');
  }

  // ---- the desk agent's side ----

  get isConnected(): boolean {
    return this.endpoint !== undefined && !this.ended;
  }

  /** The console's audio stream opened: the desk agent "answers" their test call. */
  connect(endpoint: SoftphoneEndpoint): { receive(frame: AudioFrame): void; closed(): void } {
    if (this.ended) {
      endpoint.close('This test call is already over');
      return { receive: () => undefined, closed: () => undefined };
    }
    this.endpoint = endpoint;
    this.answerIfReady();
    return {
      receive: (frame) => {
        if (frame.kind === 'mic' && frame.samples) this.microphone(frame.samples, frame.sampleRate);
      },
      closed: () => {
        this.endpoint = undefined; // the console hung up: nothing to tell it
        this.end({ type: 'hangup', by: 'caller' });
      },
    };
  }

  /** The launcher dialled: from now on it listens for the answer. */
  markDialled(): void {
    this.dialled = true;
    // After dial() resolves, when the launcher has subscribed to this line's events.
    setTimeout(() => this.answerIfReady(), 0);
  }

  private answerIfReady(): void {
    if (!this.dialled || !this.endpoint || this.answered || this.ended) return;
    this.answered = true;
    this.emit({ type: 'ringing' });
    this.emit({ type: 'answered', by: 'human' });
  }

  /** The stream never opened (microphone denied, page closed). */
  fail(reason: string): void {
    this.end({ type: 'failed', reason });
  }

  private microphone(samples: Int16Array, rate: number): void {
    if (this.ended) return;
    let resampler = this.resamplers.get(rate);
    if (!resampler) {
      resampler = new Resampler(rate, this.sampleRate);
      this.resamplers.set(rate, resampler);
    }
    for (const frame of this.chunker.push(resampler.process(samples))) {
      this.stats.micFrames++;
      this.audioListeners.emit(frame);
    }
  }

  private end(event: CallLegEvent, reason = 'The call is over'): void {
    if (this.ended) return;
    this.ended = true;
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    endpoint?.close(reason);
    this.emit(event);
  }

  private emit(event: CallLegEvent): void {
    this.eventListeners.emit(event);
  }
}
