import { closeSync, fstatSync, openSync, readdirSync, renameSync, statSync, unlinkSync, write, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface LogFileOptions {
  /** Rotate when the file passes this size (default 20 MB). */
  maxBytes?: number;
  /** Rotated files kept (`parley.1.log` newest … `parley.N.log`), default 5. */
  keep?: number;
  /** Rotated files older than this are deleted at rotation, default 14 days. */
  maxAgeMs?: number;
  /** Lines waiting for the disk are capped here; beyond it new lines are dropped and counted (default 4 MB). */
  maxQueuedBytes?: number;
  /** After a failed write, the next attempt waits this long (default 5 s): a full disk is probed, not hammered. */
  retryAfterMs?: number;
  /** Told once when writing starts failing, and once when it works again. */
  onProblem?: (problem: LogFileProblem | null) => void;
}

export interface LogFileProblem {
  code: string;
  message: string;
  since: number;
  /** Lines lost so far because the queue was full (while the disk refused them, or before it said so). */
  dropped: number;
}

/**
 * The log file pino writes to. Writes are queued and flushed asynchronously one at a time, so a slow
 * or failing disk never blocks the event loop that paces calls and never throws into the process:
 * a failure (ENOSPC, EIO, EROFS) is reported once through `onProblem`, lines queue up to a cap and
 * the rest are dropped and counted, and the disk is probed again every few seconds. pino's own
 * destination instead re-emits the error unhandled, and its exit flush retries ENOSPC forever.
 * The file rotates by size; old rotations are deleted by count and age.
 */
export class LogFile {
  private fd: number;
  private size: number;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private writing = false;
  /** Lines in the write now in flight (the head of the queue). */
  private inFlightLines = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failing: LogFileProblem | null = null;
  /** Lines dropped because the queue was full (a disk slower than the log, or refusing it). */
  private dropped = 0;
  private closed = false;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly maxAgeMs: number;
  private readonly maxQueuedBytes: number;
  private readonly retryAfterMs: number;

  constructor(
    readonly path: string,
    private readonly options: LogFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
    this.keep = Math.max(1, options.keep ?? 5);
    this.maxAgeMs = options.maxAgeMs ?? 14 * 24 * 60 * 60_000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.retryAfterMs = options.retryAfterMs ?? 5_000;
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Lines waiting for the disk, in bytes. */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** The current problem, or null while writes succeed. */
  problem(): LogFileProblem | null {
    return this.failing;
  }

  /** pino's destination interface. Never throws, never waits. */
  write(line: string): boolean {
    if (this.closed) return false;
    const data = Buffer.from(line);
    if (this.queuedBytes + data.length > this.maxQueuedBytes) {
      this.dropped++;
      if (this.failing) this.failing.dropped = this.dropped;
      return false;
    }
    this.queue.push(data);
    this.queuedBytes += data.length;
    if (!this.writing && !this.retryTimer) this.flushNext();
    return true;
  }

  /**
   * Best effort on shutdown: one synchronous attempt to write what is queued, then the file is closed
   * (after a write still in flight lands). Never retries: a full disk must not hold up an exit.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const rest = this.queue.slice(this.writing ? this.inFlightLines : 0);
    if (!this.failing && rest.length > 0) {
      try {
        writeSync(this.fd, Buffer.concat(rest));
      } catch {
        // the disk refused the last lines; shutting down must not wait on it
      }
    }
    this.queue = [];
    this.queuedBytes = 0;
    if (!this.writing) this.closeFd();
  }

  private closeFd(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private flushNext(): void {
    if (this.queue.length === 0 || this.closed) return;
    const lines = this.queue.length;
    this.inFlightLines = lines;
    this.writing = true;
    const data = lines === 1 ? this.queue[0]! : Buffer.concat(this.queue);
    write(this.fd, data, 0, data.length, null, (error, written) => {
      this.writing = false;
      if (this.closed) return this.closeFd();
      if (error) {
        this.fail(error);
        return;
      }
      if (written < data.length) {
        // A partial write: keep the rest at the head of the queue.
        this.queue.splice(0, lines, data.subarray(written));
        this.queuedBytes -= written;
      } else {
        this.queue.splice(0, lines);
        this.queuedBytes -= data.length;
      }
      this.size += written;
      if (this.failing) {
        this.failing = null;
        this.options.onProblem?.(null);
      }
      if (this.size >= this.maxBytes) this.rotate();
      this.flushNext();
    });
  }

  private fail(error: NodeJS.ErrnoException): void {
    if (!this.failing) {
      this.failing = { code: error.code ?? 'EIO', message: error.message, since: Date.now(), dropped: this.dropped };
      this.options.onProblem?.(this.failing);
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flushNext();
    }, this.retryAfterMs);
    this.retryTimer.unref?.();
  }

  private rotate(): void {
    const dir = dirname(this.path);
    const name = basename(this.path, '.log');
    try {
      for (let i = this.keep; i >= 1; i--) {
        const from = i === 1 ? this.path : join(dir, `${name}.${i - 1}.log`);
        const to = join(dir, `${name}.${i}.log`);
        try {
          renameSync(from, to);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      const fresh = openSync(this.path, 'a', 0o600);
      closeSync(this.fd);
      this.fd = fresh;
      this.size = 0;
      this.prune(dir, name);
    } catch (error) {
      // Rotation failing (a full disk, permissions) leaves logging on the current file.
      this.fail(error as NodeJS.ErrnoException);
    }
  }

  /** Deletes rotations beyond `keep` and those older than `maxAgeMs`. */
  private prune(dir: string, name: string): void {
    const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.log$`);
    const now = Date.now();
    for (const file of readdirSync(dir)) {
      const match = pattern.exec(file);
      if (!match) continue;
      const path = join(dir, file);
      try {
        if (Number(match[1]) > this.keep || now - statSync(path).mtimeMs > this.maxAgeMs) unlinkSync(path);
      } catch {
        // removed meanwhile
      }
    }
  }
}
