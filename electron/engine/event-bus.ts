import type { EngineEvent, EventName, EventPayload } from '../contracts';

/** Where a listener's exception goes: it names the event, so a broken subscriber is found, not hidden. */
export type ListenerErrorReporter = (error: unknown, eventName: EventName) => void;

/** Fans engine events out to every connected UI. Listeners must not throw into the engine. */
export class EventBus {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  constructor(private readonly onListenerError?: ListenerErrorReporter) {}

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const event = { name, payload } as EngineEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber must not stop the others or the engine; it is reported, never swallowed.
        try {
          this.onListenerError?.(error, name);
        } catch {
          // a failing reporter changes nothing for the other listeners
        }
      }
    }
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.listeners.clear();
  }
}
