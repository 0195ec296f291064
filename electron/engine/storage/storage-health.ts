import { statfs } from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';

export interface StorageHealthOptions {
  /** Below this much free space on the data folder's disk, dialing stops before writes start failing (default 64 MB). */
  minFreeBytes?: number;
  /** How often the disk is looked at (default 5 s); while failing, the same pace probes for recovery. */
  checkEveryMs?: number;
}

export interface StorageState {
  ok: boolean;
  /** Why not, in words. */
  reason: string | null;
  /** Free bytes on the data folder's disk at the last look. */
  freeBytes: number | null;
  since: number | null;
}

const STORAGE_CODES = /^(SQLITE_FULL|SQLITE_IOERR|SQLITE_READONLY|SQLITE_CANTOPEN)|^(ENOSPC|EIO|EROFS|EDQUOT)$/;

/** True for an error that says the disk (not the request) is the problem. */
export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.test(code);
}

/**
 * Whether the database can take writes. Fed by a periodic look at free space and a one-row probe
 * write, and told of every storage error a command or the dialer meets. While failing, the dialer
 * places no new call (calls in progress go on), reads keep working, and every console gets an
 * `office.alert`; when space returns it says so and dialing resumes by itself.
 */
export class StorageHealth {
  private current: StorageState = { ok: true, reason: null, freeBytes: null, since: null };
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking: Promise<StorageState> | undefined;
  private disposed = false;
  private readonly probe: BetterSqlite3.Statement;
  private readonly listeners = new Set<(state: StorageState) => void>();
  private readonly minFreeBytes: number;

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; dataDir: string; events: EventBus; logger: Logger; clock: Clock },
    private readonly options: StorageHealthOptions = {},
  ) {
    this.minFreeBytes = options.minFreeBytes ?? 64 * 1024 * 1024;
    this.probe = deps.sqlite.prepare(
      "insert into settings (key, value, updated_at) values ('storage.probe', ?, ?) on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at",
    );
  }

  state(): StorageState {
    return { ...this.current };
  }

  get ok(): boolean {
    return this.current.ok;
  }

  onChange(listener: (state: StorageState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.timer ??= setInterval(() => this.checkInBackground(), this.options.checkEveryMs ?? 5_000);
    this.timer.unref();
    this.checkInBackground();
  }

  /** Told of an error met while writing; returns true when it was the disk's fault. */
  noteError(error: unknown): boolean {
    if (!isStorageFault(error)) return false;
    const code = (error as { code: string }).code;
    this.set(false, code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' ? 'The disk holding the database is full' : `The database cannot be written (${code})`);
    return true;
  }

  /** Looks at free space and tries a one-row write; changes state when either says so. */
  check(): Promise<StorageState> {
    this.checking ??= this.look().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private checkInBackground(): void {
    this.check().catch((error: unknown) => this.deps.logger.error({ err: error }, 'the storage check failed'));
  }

  private async look(): Promise<StorageState> {
    // Not every file system answers statfs; the probe write below still does.
    const freeBytes = await statfs(this.deps.dataDir).then(
      (fs) => fs.bavail * fs.bsize,
      () => null,
    );
    // The engine may have closed the database while statfs was answering.
    if (this.disposed) return this.state();
    this.current.freeBytes = freeBytes;
    if (freeBytes !== null && freeBytes < this.minFreeBytes) {
      this.set(false, `Only ${Math.round(freeBytes / 1024 / 1024)} MB free on the disk holding the database (Parley stops dialing below ${Math.round(this.minFreeBytes / 1024 / 1024)} MB)`);
      return this.state();
    }
    try {
      this.probe.run(String(this.deps.clock.now()), this.deps.clock.now());
      this.set(true, null);
    } catch (error) {
      if (!this.noteError(error)) throw error;
    }
    return this.state();
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.listeners.clear();
  }

  private set(ok: boolean, reason: string | null): void {
    if (ok === this.current.ok && (ok || reason === this.current.reason)) return;
    const now = this.deps.clock.now();
    this.current = { ok, reason, freeBytes: this.current.freeBytes, since: ok ? null : now };
    if (ok) this.deps.logger.warn('the database takes writes again: dialing resumes');
    else this.deps.logger.error({ reason }, 'the database cannot take writes: dialing stops');
    this.deps.events.emit('office.alert', {
      id: 'storage',
      kind: ok ? 'storage-restored' : 'storage-failing',
      severity: ok ? 'info' : 'critical',
      message: ok ? 'The database takes writes again; dialing has resumed.' : `${reason}. Dialing has stopped (calls in progress go on; the console still shows everything). Free some space: Parley resumes by itself.`,
      at: now,
      campaignId: null,
      providerId: null,
    });
    for (const listener of this.listeners) listener(this.state());
  }
}
