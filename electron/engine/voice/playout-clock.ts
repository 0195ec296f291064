import { FRAME_MS } from '../ports/audio';

export type TickListener = (frames: number) => void;

/**
 * One 20 ms beat shared by every call's audio output, corrected for drift: when the event loop is
 * late, listeners are told how many frame periods passed so they can catch up instead of slipping.
 * One timer for the engine rather than one per call keeps 20 calls cheap on two cores.
 */
export class PlayoutClock {
  private readonly listeners = new Set<TickListener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private origin = 0;
  private ticks = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    readonly frameMs = FRAME_MS,
  ) {}

  add(listener: TickListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.origin = this.now();
      this.ticks = 0;
      this.schedule();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private schedule(): void {
    const due = this.origin + (this.ticks + 1) * this.frameMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - this.now()));
  }

  private fire(): void {
    const elapsed = Math.floor((this.now() - this.origin) / this.frameMs);
    const frames = Math.max(1, elapsed - this.ticks);
    this.ticks += frames;
    for (const listener of [...this.listeners]) {
      try {
        listener(frames);
      } catch {
        // a failing call must not stop the others' audio
      }
    }
    if (this.listeners.size > 0) this.schedule();
    else this.timer = undefined;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
