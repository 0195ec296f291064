import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';

const LEASE_KEY = 'dialer.lease';
/** A lease not renewed for this long belongs to a process that is gone (or on a frozen machine). */
export const LEASE_STALE_MS = 30_000;

interface Lease {
  token: string;
  pid: number;
  host: string;
  at: number;
}

export type LeaseAttempt = { held: true } | { held: false; holder: string };

/**
 * Only one process dials from a data folder. Two dialers on one store would each take the other's
 * live calls for crash leftovers and could dial those contacts again. The lease is a row in
 * `settings`, renewed every tick; a holder whose process is gone (same machine) or whose lease went
 * stale is replaced. Lease times are wall-clock (they are about processes, not campaign time).
 */
export class DialerLease {
  private readonly token = randomUUID();
  private readonly read: BetterSqlite3.Statement;
  private readonly write: BetterSqlite3.Statement;
  private readonly remove: BetterSqlite3.Statement;
  private readonly acquireTx: () => LeaseAttempt;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.read = sqlite.prepare('select value from settings where key = ?');
    this.write = sqlite.prepare(
      'insert into settings (key, value, updated_at) values (?, ?, ?) on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at',
    );
    this.remove = sqlite.prepare("delete from settings where key = ? and json_extract(value, '$.token') = ?");
    this.acquireTx = sqlite.transaction((): LeaseAttempt => {
      const current = this.current();
      if (current && current.token !== this.token && isAlive(current, this.now())) {
        return { held: false, holder: `process ${current.pid} on ${current.host}` };
      }
      const lease: Lease = { token: this.token, pid: process.pid, host: hostname(), at: this.now() };
      this.write.run(LEASE_KEY, JSON.stringify(lease), lease.at);
      return { held: true };
    });
  }

  /** Takes or renews the lease; says who holds it otherwise. */
  acquire(): LeaseAttempt {
    return this.acquireTx();
  }

  release(): void {
    this.remove.run(LEASE_KEY, this.token);
  }

  private current(): Lease | undefined {
    const row = this.read.get(LEASE_KEY) as { value: string } | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as Lease;
    } catch {
      return undefined;
    }
  }
}

function isAlive(lease: Lease, now: number): boolean {
  if (now - lease.at > LEASE_STALE_MS) return false;
  if (lease.host !== hostname()) return true;
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(lease.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the dialing lease of a database now ("process 123 on host"), or undefined when nobody does. */
export function leaseHolder(sqlite: BetterSqlite3.Database, now = Date.now()): string | undefined {
  const row = sqlite.prepare('select value from settings where key = ?').get(LEASE_KEY) as { value: string } | undefined;
  if (!row) return undefined;
  try {
    const lease = JSON.parse(row.value) as Lease;
    return isAlive(lease, now) ? `process ${lease.pid} on ${lease.host}` : undefined;
  } catch {
    return undefined;
  }
}
