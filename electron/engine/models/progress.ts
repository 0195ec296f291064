/**
 * Download speed over a sliding window (a few seconds), so the figure follows the connection
 * rather than the whole history, and an ETA from it.
 */
export class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records that the running total reached `totalBytes`. */
  record(totalBytes: number): void {
    const at = this.now();
    this.samples.push({ at, bytes: totalBytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
  }

  /** Restarts the window, e.g. after a reconnect or when the count goes back to zero. */
  reset(): void {
    this.samples.length = 0;
  }

  bytesPerSecond(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const ms = last.at - first.at;
    if (ms <= 0) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / ms);
  }

  /** Seconds left at the current speed; null when unknown (no total, or no speed yet). */
  etaSeconds(receivedBytes: number, totalBytes: number | null): number | null {
    if (totalBytes === null) return null;
    const left = Math.max(0, totalBytes - receivedBytes);
    if (left === 0) return 0;
    const speed = this.bytesPerSecond();
    return speed > 0 ? left / speed : null;
  }
}

export { formatBytes } from '../../contracts/format';
