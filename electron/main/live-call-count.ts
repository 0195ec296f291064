import type { EngineEvent } from '../contracts';

/** The calls in progress, followed from the engine's events (a set of ids: repeats count once). */
export class LiveCallCount {
  private readonly live = new Set<string>();

  /** Returns whether the count changed. */
  onEvent(event: EngineEvent): boolean {
    const before = this.live.size;
    if (event.name === 'call.started') this.live.add(event.payload.callId);
    else if (event.name === 'call.ended') this.live.delete(event.payload.callId);
    return this.live.size !== before;
  }

  get size(): number {
    return this.live.size;
  }
}

/** The tray's tooltip and first menu line. */
export function liveCallsLabel(count: number): string {
  return count === 0 ? 'Parley: no calls in progress' : `Parley: ${count} call${count === 1 ? '' : 's'} in progress`;
}
