import type { Direction, Frame } from './frames';

export interface FrameObserver {
  /** Sees every frame a processor pushes, before the next one gets it. Must be quick and must not throw. */
  onFrame(frame: Frame, from: string, direction: Direction): void;
}

export type ProcessorErrorHandler = (processor: string, error: unknown, frame: Frame) => void;

/**
 * A stage of the pipeline. Two loops per processor, as in Pipecat: system frames run in arrival
 * order on their own loop, so they overtake data that is waiting or being worked on; data and
 * control frames run in order on the other. An interruption drops queued data frames (control
 * frames stay) and aborts `this.signal`, so slow work in progress (an LLM stream, a synthesis)
 * stops at once.
 */
export abstract class FrameProcessor {
  private downstreamTarget: FrameProcessor | undefined;
  private upstreamTarget: FrameProcessor | undefined;
  private readonly systemQueue: Array<[Frame, Direction]> = [];
  private readonly orderedQueue: Array<[Frame, Direction]> = [];
  private systemBusy = false;
  private orderedBusy = false;
  private abort = new AbortController();
  private idleWaiters: Array<() => void> = [];
  /** Set by the pipeline. */
  observer: FrameObserver | undefined;
  onError: ProcessorErrorHandler | undefined;

  constructor(readonly name: string) {}

  /** Aborted when an interruption arrives; work started for the previous utterance should stop. */
  protected get signal(): AbortSignal {
    return this.abort.signal;
  }

  link(next: FrameProcessor): FrameProcessor {
    this.downstreamTarget = next;
    next.upstreamTarget = this;
    return next;
  }

  /** Hands a frame to this processor. */
  queueFrame(frame: Frame, direction: Direction = 'downstream'): void {
    if (frame.kind === 'system') {
      this.systemQueue.push([frame, direction]);
      void this.pumpSystem();
    } else {
      this.orderedQueue.push([frame, direction]);
      void this.pumpOrdered();
    }
  }

  /** Sends a frame to the neighbour in `direction` (or nowhere at the pipeline's ends). */
  protected push(frame: Frame, direction: Direction = 'downstream'): void {
    this.observer?.onFrame(frame, this.name, direction);
    const target = direction === 'downstream' ? this.downstreamTarget : this.upstreamTarget;
    target?.queueFrame(frame, direction);
  }

  /** Work for one frame. The default passes everything on. */
  protected process(frame: Frame, direction: Direction): void | Promise<void> {
    this.push(frame, direction);
  }

  /** Frames still waiting in the ordered queue (for tests and diagnostics). */
  get pendingOrdered(): number {
    return this.orderedQueue.length;
  }

  /** Resolves when both loops have nothing left to do. */
  whenIdle(): Promise<void> {
    if (!this.systemBusy && !this.orderedBusy && this.systemQueue.length === 0 && this.orderedQueue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async pumpSystem(): Promise<void> {
    if (this.systemBusy) return;
    this.systemBusy = true;
    while (this.systemQueue.length > 0) {
      const [frame, direction] = this.systemQueue.shift()!;
      if (frame.type === 'interruption') this.dropInterruptible();
      await this.run(frame, direction);
    }
    this.systemBusy = false;
    this.notifyIdle();
  }

  private async pumpOrdered(): Promise<void> {
    if (this.orderedBusy) return;
    this.orderedBusy = true;
    while (this.orderedQueue.length > 0) {
      const [frame, direction] = this.orderedQueue.shift()!;
      await this.run(frame, direction);
    }
    this.orderedBusy = false;
    this.notifyIdle();
  }

  private async run(frame: Frame, direction: Direction): Promise<void> {
    try {
      const pending = this.process(frame, direction);
      if (pending) await pending;
    } catch (error) {
      if (this.onError) this.onError(this.name, error, frame);
      else throw error;
    }
  }

  private dropInterruptible(): void {
    this.abort.abort();
    this.abort = new AbortController();
    for (let i = this.orderedQueue.length - 1; i >= 0; i--) {
      if (this.orderedQueue[i]![0].kind === 'data') this.orderedQueue.splice(i, 1);
    }
  }

  private notifyIdle(): void {
    if (this.systemBusy || this.orderedBusy || this.systemQueue.length > 0 || this.orderedQueue.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Releases what the processor holds (timers, streams). */
  dispose(): void | Promise<void> {}
}

/** Processors linked in a line; frames enter at the head. */
export class Pipeline {
  constructor(
    readonly processors: FrameProcessor[],
    options: { observers?: FrameObserver[]; onError?: ProcessorErrorHandler } = {},
  ) {
    if (processors.length === 0) throw new Error('A pipeline needs at least one processor');
    for (let i = 0; i + 1 < processors.length; i++) processors[i]!.link(processors[i + 1]!);
    const observers = options.observers ?? [];
    const observer: FrameObserver | undefined =
      observers.length === 0
        ? undefined
        : {
            onFrame(frame, from, direction) {
              for (const o of observers) {
                try {
                  o.onFrame(frame, from, direction);
                } catch {
                  // an observer must never break the call
                }
              }
            },
          };
    for (const p of processors) {
      p.observer = observer;
      p.onError = options.onError;
    }
  }

  queueFrame(frame: Frame): void {
    this.processors[0]!.queueFrame(frame, 'downstream');
  }

  async whenIdle(): Promise<void> {
    // Work in one processor can queue work in the next: repeat until a full pass finds all idle.
    for (let pass = 0; pass < 50; pass++) {
      let busy = false;
      for (const p of this.processors) {
        if (p.pendingOrdered > 0) busy = true;
        await p.whenIdle();
      }
      if (!busy) return;
    }
  }

  async dispose(): Promise<void> {
    for (const p of this.processors) await p.dispose();
  }
}
