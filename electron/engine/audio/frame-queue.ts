import { FrameChunker } from './pcm';

export interface FrameQueueOptions {
  /** Samples per frame (320 for 20 ms at 16 kHz, 160 at 8 kHz). */
  frameSize: number;
  /** Frames held at most; beyond that the oldest are dropped (and counted). */
  maxFrames: number;
  /** Frames to gather before playing starts, and again after running dry: absorbs arrival jitter. */
  prebufferFrames?: number;
}

export interface FrameQueueStats {
  queuedFrames: number;
  playedFrames: number;
  /** Frames lost to overflow or arriving too late to play in order. */
  droppedFrames: number;
  /** Times the queue ran dry while playing. */
  underruns: number;
  /** Frames removed by `clear()` (barge-in). */
  clearedFrames: number;
}

/**
 * A jitter-tolerant frame queue. Producers push any amount of audio (re-cut into whole frames) or
 * numbered frames from a network (put back in order, duplicates and late frames dropped); the
 * player takes one frame per tick.
 */
export class FrameQueue {
  private readonly frames: Int16Array[] = [];
  private readonly chunker: FrameChunker;
  private readonly reorder = new Map<number, Int16Array>();
  private nextSequence: number | undefined;
  private buffering: boolean;
  private readonly prebuffer: number;
  private readonly stats: FrameQueueStats = { queuedFrames: 0, playedFrames: 0, droppedFrames: 0, underruns: 0, clearedFrames: 0 };

  constructor(private readonly options: FrameQueueOptions) {
    if (options.maxFrames < 1) throw new RangeError('maxFrames must be at least 1');
    this.chunker = new FrameChunker(options.frameSize);
    this.prebuffer = Math.min(options.prebufferFrames ?? 0, options.maxFrames);
    this.buffering = this.prebuffer > 0;
  }

  /** Appends audio of any length; a partial frame waits for the next push (or `flush`). */
  push(samples: Int16Array): void {
    for (const frame of this.chunker.push(samples)) this.enqueue(frame);
  }

  /** Pads the held partial frame with silence and queues it (end of an utterance). */
  flush(): void {
    const last = this.chunker.flush();
    if (last) this.enqueue(last);
    this.buffering = false;
  }

  /** Queues one whole frame carrying a network sequence number. */
  pushSequenced(sequence: number, frame: Int16Array): void {
    if (frame.length !== this.options.frameSize) throw new RangeError(`Frame has ${frame.length} samples, expected ${this.options.frameSize}`);
    if (this.nextSequence === undefined) this.nextSequence = sequence;
    if (sequence < this.nextSequence || this.reorder.has(sequence)) {
      this.stats.droppedFrames++;
      return;
    }
    this.reorder.set(sequence, frame);
    // Release everything that is now contiguous; give up on a gap once the reorder window is full.
    while (this.reorder.size > 0) {
      const ready = this.reorder.get(this.nextSequence);
      if (ready) {
        this.reorder.delete(this.nextSequence);
        this.enqueue(ready);
        this.nextSequence++;
      } else if (this.reorder.size > Math.max(2, this.prebuffer)) {
        this.nextSequence = Math.min(...this.reorder.keys());
      } else break;
    }
  }

  /** The next frame to play, or undefined while prebuffering or empty. */
  shift(): Int16Array | undefined {
    if (this.buffering) {
      if (this.frames.length < this.prebuffer) return undefined;
      this.buffering = false;
    }
    const frame = this.frames.shift();
    if (frame) {
      this.stats.playedFrames++;
      return frame;
    }
    if (this.stats.playedFrames > 0) this.stats.underruns++;
    this.buffering = this.prebuffer > 0;
    return undefined;
  }

  /** Drops everything queued (barge-in); returns how many frames were dropped. */
  clear(): number {
    const dropped = this.frames.length + (this.chunker.pendingSamples > 0 ? 1 : 0);
    this.frames.length = 0;
    this.chunker.reset();
    this.reorder.clear();
    this.nextSequence = undefined;
    this.buffering = this.prebuffer > 0;
    this.stats.clearedFrames += dropped;
    return dropped;
  }

  get length(): number {
    return this.frames.length;
  }

  get snapshot(): FrameQueueStats {
    return { ...this.stats };
  }

  private enqueue(frame: Int16Array): void {
    this.frames.push(frame);
    this.stats.queuedFrames++;
    if (this.frames.length > this.options.maxFrames) {
      this.frames.shift();
      this.stats.droppedFrames++;
    }
  }
}
