import type { Logger } from '../../logging';

/**
 * Counts problems by kind and logs each kind at most once per interval (the first occurrence at
 * once, later ones as a count), so a flood of bad packets costs one log line, not thousands.
 */
export class ProblemLog {
  private readonly counts = new Map<string, number>();
  private readonly lastLogged = new Map<string, { at: number; count: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly context: Record<string, unknown>,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  report(kind: string, detail: string): void {
    const count = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, count);
    const last = this.lastLogged.get(kind);
    const at = this.now();
    if (last && at - last.at < this.intervalMs) return;
    const since = last ? count - last.count : 1;
    this.lastLogged.set(kind, { at, count });
    this.logger.warn({ ...this.context, problem: kind, count: since }, `RTP: ${detail}${since > 1 ? ` (${since} since the last report)` : ''}`);
  }

  count(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}
