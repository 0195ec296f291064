import { sequenceDelta } from './packet';

/** What one sequence number carries for playout. */
export type JitterSlot =
  | { kind: 'audio'; samples: Int16Array }
  /** Comfort noise or a DTMF event beat: 20 ms of silence. */
  | { kind: 'silence' }
  /** Takes a sequence number but no media time (a repeated DTMF end packet). */
  | { kind: 'skip' };

export interface JitterBufferOptions {
  /** Samples per frame (160: 20 ms at 8 kHz). */
  frameSize?: number;
  frameMs?: number;
  /** Bounds of the adaptive playout delay. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Media clock rate, for the RFC 3550 jitter estimate. */
  clockRate?: number;
}

export interface JitterBufferStats {
  received: number;
  /** Missing by sequence number (RFC 3550: expected - received). */
  lost: number;
  /** Arrived after their turn to play had passed (dropped). */
  late: number;
  duplicates: number;
  /** Beats filled by concealment (the last frame attenuated once, then silence). */
  concealed: number;
  /** Times playout found nothing to play and waited to build depth again. */
  underruns: number;
  /** Frames skipped to bring the delay back to the target after a burst. */
  trimmed: number;
  /** Interarrival jitter (RFC 3550 A.8), milliseconds. */
  jitterMs: number;
  /** Current playout delay target, milliseconds. */
  targetMs: number;
}

/** Sequences further apart than this are a restarted stream, not reordering. */
const RESTART_DISTANCE = 3_000;

/**
 * Adaptive jitter buffer for one inbound RTP stream. Packets go in as they arrive, in any order;
 * playout takes exactly one frame per beat. The delay target follows the measured jitter (three
 * times the RFC 3550 estimate plus a frame, within the bounds); playout starts once that much is
 * buffered, waits again after running dry, and trims back to the target after a burst.
 */
export class JitterBuffer {
  private readonly frameSize: number;
  private readonly frameMs: number;
  private readonly minFrames: number;
  private readonly maxFrames: number;
  private readonly unitsPerMs: number;
  private readonly slots = new Map<number, JitterSlot>();
  private highest: number | undefined;
  private base = 0;
  private next: number | undefined;
  private playing = false;
  /** Playout has taken at least one frame of this stream: anything before `next` is late. */
  private started = false;
  private lostCarried = 0;
  private primingBeats = 0;
  private lastFrame: Int16Array | undefined;
  private concealRun = 0;
  private jitterUnits = 0;
  private lastTransit: number | undefined;
  private readonly counts = { received: 0, late: 0, duplicates: 0, concealed: 0, underruns: 0, trimmed: 0 };

  constructor(options: JitterBufferOptions = {}) {
    this.frameSize = options.frameSize ?? 160;
    this.frameMs = options.frameMs ?? 20;
    this.minFrames = Math.max(1, Math.ceil((options.minDelayMs ?? 40) / this.frameMs));
    this.maxFrames = Math.max(this.minFrames, Math.ceil((options.maxDelayMs ?? 200) / this.frameMs));
    this.unitsPerMs = (options.clockRate ?? 8_000) / 1000;
  }

  /**
   * One packet. `timestamp` feeds the jitter estimate (pass undefined for packets whose timestamp
   * does not follow the media clock, such as DTMF events). Returns what became of it.
   */
  push(sequence: number, slot: JitterSlot, arrivalMs: number, timestamp?: number): 'queued' | 'late' | 'duplicate' {
    const ext = this.extend(sequence);
    if (timestamp !== undefined) this.observeJitter(timestamp, arrivalMs);
    if (this.next !== undefined && this.started && ext < this.next) {
      this.counts.late++;
      return 'late';
    }
    if (this.slots.has(ext)) {
      this.counts.duplicates++;
      return 'duplicate';
    }
    if (this.next === undefined || (!this.started && ext < this.next)) this.next = ext;
    this.slots.set(ext, slot);
    this.counts.received++;
    return 'queued';
  }

  /** The frame for this beat; undefined until the first packet has arrived. */
  beat(): Int16Array | undefined {
    if (this.next === undefined || this.highest === undefined) return undefined;
    const target = this.targetFrames();
    if (!this.playing) {
      if (this.slots.size > 0) this.primingBeats++;
      if (this.highest - this.next + 1 < target && this.primingBeats < target) return new Int16Array(this.frameSize);
      this.playing = true;
      this.started = true;
      this.primingBeats = 0;
    }
    this.trim(target);
    for (let guard = 0; guard < 8; guard++) {
      const slot = this.slots.get(this.next);
      if (slot) {
        this.slots.delete(this.next);
        this.next++;
        if (slot.kind === 'skip') continue;
        if (slot.kind === 'silence') {
          this.lastFrame = undefined;
          return new Int16Array(this.frameSize);
        }
        this.lastFrame = slot.samples;
        this.concealRun = 0;
        return slot.samples;
      }
      if (this.highest >= this.next) {
        // A gap with later packets already here: that one is lost; conceal it and move on.
        this.next++;
        return this.conceal();
      }
      // Nothing to play: wait (without advancing) until the delay target is buffered again.
      this.counts.underruns++;
      this.playing = false;
      return this.conceal();
    }
    return this.conceal();
  }

  stats(): JitterBufferStats {
    const expected = this.highest === undefined ? 0 : this.highest - this.base + 1;
    return {
      ...this.counts,
      lost: this.lostCarried + Math.max(0, expected - this.counts.received),
      jitterMs: this.jitterUnits / this.unitsPerMs,
      targetMs: this.targetFrames() * this.frameMs,
    };
  }

  /** Forget the stream (a new SSRC: the far end restarted its media). */
  reset(): void {
    this.lostCarried = this.stats().lost;
    this.counts.received = 0;
    this.slots.clear();
    this.highest = undefined;
    this.next = undefined;
    this.playing = false;
    this.started = false;
    this.primingBeats = 0;
    this.lastFrame = undefined;
    this.concealRun = 0;
    this.lastTransit = undefined;
  }

  /**
   * After a burst (a stalled network, a far end catching up) the buffer holds more than its target.
   * Quiet frames at the head are skipped until it is back to the target, so speech is not cut; past
   * the maximum delay, frames go whatever they hold.
   */
  private trim(target: number): void {
    const depth = () => this.highest! - this.next! + 1;
    if (depth() > this.maxFrames + 2) {
      const keepFrom = this.highest! - target + 1;
      for (; this.next! < keepFrom; this.next!++) if (this.slots.delete(this.next!)) this.counts.trimmed++;
      return;
    }
    if (depth() <= target + 2) return;
    while (depth() > target) {
      const slot = this.slots.get(this.next!);
      if (slot?.kind === 'audio' && !isQuiet(slot.samples)) return;
      if (this.slots.delete(this.next!)) this.counts.trimmed++;
      this.next!++;
    }
  }

  private targetFrames(): number {
    const wantedMs = this.frameMs + 3 * (this.jitterUnits / this.unitsPerMs);
    return Math.min(this.maxFrames, Math.max(this.minFrames, Math.ceil(wantedMs / this.frameMs)));
  }

  private conceal(): Int16Array {
    this.counts.concealed++;
    const last = this.lastFrame;
    this.lastFrame = undefined;
    if (this.concealRun++ === 0 && last) {
      const faded = new Int16Array(last.length);
      for (let i = 0; i < last.length; i++) faded[i] = last[i]! >> 1;
      return faded;
    }
    return new Int16Array(this.frameSize);
  }

  /** Extended (unwrapped) sequence number; a jump too far to be reordering restarts the stream. */
  private extend(sequence: number): number {
    if (this.highest === undefined) {
      this.highest = sequence;
      this.base = sequence;
      return sequence;
    }
    const delta = sequenceDelta(sequence, this.highest & 0xffff);
    if (Math.abs(delta) > RESTART_DISTANCE) {
      this.reset();
      this.highest = sequence;
      this.base = sequence;
      return sequence;
    }
    const ext = this.highest + delta;
    if (ext > this.highest) this.highest = ext;
    return ext;
  }

  /** RFC 3550 A.8: J += (|D| - J) / 16, in timestamp units. */
  private observeJitter(timestamp: number, arrivalMs: number): void {
    const transit = arrivalMs * this.unitsPerMs - timestamp;
    if (this.lastTransit !== undefined) {
      let d = Math.abs(transit - this.lastTransit);
      // Timestamps wrap at 2^32; a difference near that is a wrap, not jitter.
      if (d > 2 ** 31) d = Math.abs(d - 2 ** 32);
      this.jitterUnits += (d - this.jitterUnits) / 16;
    }
    this.lastTransit = transit;
  }
}

/** Below about -40 dBFS on average: background, not speech. */
function isQuiet(samples: Int16Array): boolean {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += Math.abs(samples[i]!);
  return sum / samples.length < 330;
}
