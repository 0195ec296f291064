import type { DownloadJob } from '../../contracts';
import { formatBytes } from '../../engine/models/progress';

/** One terminal line for a download: bar, percent, bytes, speed, ETA. */
export function progressLine(job: DownloadJob, width = 24): string {
  const total = job.totalBytes;
  const fraction = total ? Math.min(1, job.receivedBytes / total) : 0;
  const filled = Math.round(fraction * width);
  const bar = total ? `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (filled === width ? '=' : '>') : ''}${' '.repeat(width - filled)}]` : '[' + '?'.repeat(width) + ']';
  const percent = total ? `${Math.floor(fraction * 100)}%`.padStart(4) : '  ?%';
  const bytes = total ? `${formatBytes(job.receivedBytes)}/${formatBytes(total)}` : formatBytes(job.receivedBytes);
  const speed = job.bytesPerSecond > 0 ? `${formatBytes(Math.round(job.bytesPerSecond))}/s` : '';
  const eta = job.state === 'downloading' && job.etaSeconds !== null ? `ETA ${formatDuration(job.etaSeconds)}` : job.state;
  return [bar, percent, bytes, speed, eta, job.name].filter(Boolean).join('  ');
}

export function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * Draws download progress on a terminal: one line rewritten in place with \r on a TTY; on a pipe,
 * a line every 10% so logs stay readable.
 */
export class ProgressPrinter {
  private lastDecile = new Map<string, number>();
  private width = 0;

  constructor(
    private readonly out: { write(text: string): unknown; isTTY?: boolean },
    private readonly now: () => number = () => Date.now(),
  ) {}

  private lastDraw = Number.NEGATIVE_INFINITY;

  update(job: DownloadJob): void {
    const line = progressLine(job);
    if (this.out.isTTY) {
      const final = ['completed', 'failed', 'cancelled'].includes(job.state);
      if (!final && this.now() - this.lastDraw < 100) return;
      this.lastDraw = this.now();
      this.out.write(`\r${line.padEnd(this.width)}${final ? '\n' : ''}`);
      this.width = final ? 0 : line.length;
      return;
    }
    const decile = job.totalBytes ? Math.floor((job.receivedBytes / job.totalBytes) * 10) : -1;
    const key = `${job.id}:${job.state}`;
    if (job.state === 'downloading' && this.lastDecile.get(key) === decile) return;
    this.lastDecile.set(key, decile);
    this.out.write(`${line}\n`);
  }
}

/** One terminal line for reading a file: bar, percent, bytes of the file, and what was counted so far. */
export function fileProgressLine(label: string, doneBytes: number, totalBytes: number, counted: string, width = 24): string {
  const fraction = totalBytes > 0 ? Math.min(1, doneBytes / totalBytes) : 1;
  const filled = Math.round(fraction * width);
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (filled === width ? '=' : '>') : ''}${' '.repeat(width - filled)}]`;
  return [bar, `${Math.floor(fraction * 100)}%`.padStart(4), `${formatBytes(doneBytes)}/${formatBytes(totalBytes)}`, counted, label].filter(Boolean).join('  ');
}

/**
 * Progress of a long read (a contact import) on a terminal: one line redrawn at most ten times a
 * second, cleared when done. Nothing is drawn when the output is not a terminal (pipes and --json stay clean).
 */
export class FileProgress {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private width = 0;

  constructor(
    private readonly out: { write(text: string): unknown; isTTY?: boolean },
    private readonly label: string,
    private readonly totalBytes: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(doneBytes: number, counted: string): void {
    if (!this.out.isTTY || this.now() - this.lastDraw < 100) return;
    this.lastDraw = this.now();
    const line = fileProgressLine(this.label, doneBytes, this.totalBytes, counted);
    this.out.write(`\r${line.padEnd(this.width)}`);
    this.width = line.length;
  }

  done(): void {
    if (this.out.isTTY && this.width > 0) this.out.write(`\r${' '.repeat(this.width)}\r`);
    this.width = 0;
  }
}
