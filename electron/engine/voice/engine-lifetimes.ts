interface Disposable {
  dispose(): Promise<void>;
}

/**
 * Counts the calls using each shared engine. An engine replaced by a model switch is "retired": it
 * stays loaded while a call that started with it runs, and is disposed when the last one ends.
 */
export class EngineLifetimes {
  private readonly holders = new Map<Disposable, number>();
  private readonly retired = new Set<Disposable>();

  hold(engines: Array<Disposable | undefined>): () => void {
    const held = [...new Set(engines.filter((e): e is Disposable => e !== undefined))];
    for (const engine of held) this.holders.set(engine, (this.holders.get(engine) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const engine of held) {
        const left = (this.holders.get(engine) ?? 1) - 1;
        if (left > 0) {
          this.holders.set(engine, left);
          continue;
        }
        this.holders.delete(engine);
        if (this.retired.delete(engine)) void engine.dispose().catch(() => undefined);
      }
    };
  }

  retire(engine: Disposable): void {
    if ((this.holders.get(engine) ?? 0) > 0) this.retired.add(engine);
    else void engine.dispose().catch(() => undefined);
  }

  /** In use by a call right now. */
  inUse(engine: Disposable): boolean {
    return (this.holders.get(engine) ?? 0) > 0;
  }

  isRetired(engine: Disposable): boolean {
    return this.retired.has(engine);
  }

  async dispose(): Promise<void> {
    const waiting = [...this.retired];
    this.retired.clear();
    await Promise.allSettled(waiting.map((e) => e.dispose()));
  }
}
