/**
 * The listeners of one kind of news (a call leg's audio or events, a carrier's state, incoming
 * calls): `add` returns the unsubscribe; `emit` calls each in turn, and one listener's failure never
 * stops the others (nor the audio path that emits). Iterates the set itself: no copy per frame.
 */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onError?: (error: unknown) => void) {}

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get size(): number {
    return this.listeners.size;
  }

  emit(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onError?.(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
