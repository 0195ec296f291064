import { MODEL_SAMPLE_RATE } from '../ports/audio';
import { FrameQueue } from '../audio/frame-queue';
import { concatPcm, frameSamples } from '../audio/pcm';
import { Resampler, resample } from '../audio/resample';
import type { PlayoutClock } from '../voice/playout-clock';
import { SpeechGate } from './speech-gate';

export interface SupervisorVoiceOptions {
  lineRate: number;
  /** The engine's shared 20 ms beat: the supervisor's voice is paced like the agent's. */
  clock: Pick<PlayoutClock, 'add'>;
  /** Puts one frame on the call's line (CallSession.sendSupervisorAudio). */
  send(frame: Int16Array): void;
  /** 'takeover': every frame goes to the line; 'barge': only while the supervisor speaks. */
  mode: 'barge' | 'takeover';
  onSpeaking(speaking: boolean): void;
  /** A finished stretch of the supervisor's speech, at 16 kHz (for transcription). */
  onUtterance(audio: Int16Array, startedAt: number, endedAt: number): void;
  now?: () => number;
}

/** Frames gathered before playing (absorbs network jitter) and the most ever held (bounds delay). */
const PREBUFFER_FRAMES = 3;
const MAX_FRAMES = 15;
const PREROLL_FRAMES = 5;
const MAX_UTTERANCE_FRAMES = 50 * 30;

/**
 * A supervisor's microphone on one call: frames from the network (any rate) are resampled to the
 * line's rate, held in a small jitter buffer and sent one per beat. While barging in, only their
 * speech goes out (with a short pre-roll so the first syllable is not cut); taking over, all of it.
 */
export class SupervisorVoice {
  private readonly queue: FrameQueue;
  private readonly resamplers = new Map<number, Resampler>();
  private readonly gate = new SpeechGate();
  private readonly preroll: Int16Array[] = [];
  private utterance: Int16Array[] = [];
  private utteranceStart = 0;
  private readonly stopBeat: () => void;
  private readonly now: () => number;
  private disposed = false;
  framesIn = 0;

  constructor(private readonly options: SupervisorVoiceOptions) {
    this.now = options.now ?? Date.now;
    this.queue = new FrameQueue({ frameSize: frameSamples(options.lineRate), maxFrames: MAX_FRAMES, prebufferFrames: PREBUFFER_FRAMES });
    this.stopBeat = options.clock.add((beats) => this.beat(beats));
  }

  get mode(): 'barge' | 'takeover' {
    return this.options.mode;
  }

  set mode(mode: 'barge' | 'takeover') {
    this.options.mode = mode;
  }

  get speaking(): boolean {
    return this.gate.speaking;
  }

  /** Microphone audio as it arrives (PCM16 mono at `sampleRate`). */
  push(samples: Int16Array, sampleRate: number): void {
    if (this.disposed || samples.length === 0) return;
    let resampler = this.resamplers.get(sampleRate);
    if (!resampler) {
      resampler = new Resampler(sampleRate, this.options.lineRate);
      this.resamplers.set(sampleRate, resampler);
    }
    this.framesIn++;
    this.queue.push(resampler.process(samples));
  }

  private beat(beats: number): void {
    for (let i = 0; i < beats && !this.disposed; i++) {
      const frame = this.queue.shift();
      if (frame) this.onFrame(frame);
    }
  }

  private onFrame(frame: Int16Array): void {
    const change = this.gate.process(frame);
    const barge = this.options.mode === 'barge';
    if (change === 'start') {
      this.utteranceStart = this.now() - this.preroll.length * 20;
      this.utterance = [...this.preroll];
      if (barge) for (const early of this.preroll) this.options.send(early);
      this.preroll.length = 0;
      this.options.onSpeaking(true);
    }
    if (this.gate.speaking || change === 'stop') {
      if (this.utterance.length < MAX_UTTERANCE_FRAMES) this.utterance.push(frame);
    } else {
      this.preroll.push(frame);
      if (this.preroll.length > PREROLL_FRAMES) this.preroll.shift();
    }
    if (!barge || this.gate.speaking || change === 'stop') this.options.send(frame);
    if (change === 'stop') this.endUtterance();
  }

  private endUtterance(): void {
    const frames = this.utterance;
    this.utterance = [];
    this.options.onSpeaking(false);
    if (frames.length === 0) return;
    this.options.onUtterance(resample(concatPcm(frames), this.options.lineRate, MODEL_SAMPLE_RATE), this.utteranceStart, this.now());
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopBeat();
    this.queue.clear();
    if (this.gate.speaking) {
      this.gate.speaking = false;
      this.endUtterance();
    }
  }
}
