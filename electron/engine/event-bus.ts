import type { EngineEvent, EventName, EventPayload } from '../contracts';

/** Fans engine events out to every connected UI. Listeners must not throw into the engine. */
export class EventBus {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const event = { name, payload } as EngineEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // one broken subscriber must not stop the others or the engine
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
