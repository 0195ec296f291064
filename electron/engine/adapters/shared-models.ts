/**
 * Models load once per process and are shared by every call and every adapter instance that names
 * the same file: each `acquire` with the same key gets the same loaded value, and the value is
 * released when the last holder lets go.
 */
export class SharedModels<T> {
  private readonly entries = new Map<string, { value: Promise<T>; holders: number }>();

  constructor(private readonly release: (value: T) => Promise<void>) {}

  /** Loads on first use; a failed load is forgotten so the next acquire tries again. */
  async acquire(key: string, load: () => Promise<T>): Promise<{ value: T; release: () => Promise<void> }> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: load(), holders: 0 };
      this.entries.set(key, entry);
    }
    entry.holders += 1;
    let value: T;
    try {
      value = await entry.value;
    } catch (error) {
      entry.holders -= 1;
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
    let released = false;
    return {
      value,
      release: async () => {
        if (released) return;
        released = true;
        entry.holders -= 1;
        if (entry.holders > 0) return;
        if (this.entries.get(key) === entry) this.entries.delete(key);
        await this.release(value);
      },
    };
  }

  /** How many distinct models are loaded now (for tests and the memory probe). */
  get size(): number {
    return this.entries.size;
  }
}
