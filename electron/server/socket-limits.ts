/**
 * Limits every WebSocket lives under, so one client can neither grow the server's memory nor starve
 * the event loop that paces live calls: how many sockets, how many not yet signed in, how far behind a
 * client may fall before it is dropped, how big a frame a stranger may send, how many commands a
 * second one socket may run.
 */
export interface SocketLimits {
  /** Sockets at once; more are refused with 503 at the upgrade. */
  maxConnections: number;
  /** Sockets at once that have not signed in yet; more are refused with 503. */
  maxUnauthenticated: number;
  /** Bytes queued to one client before it counts as not reading and is dropped. */
  maxBufferedBytes: number;
  /** Largest frame a socket that has not signed in may send; a larger one closes it (1009). */
  unauthenticatedMaxFrameBytes: number;
  /** Commands per second one socket may run, with bursts up to `commandBurst`. */
  commandsPerSecond: number;
  commandBurst: number;
  /** Commands of one socket being answered at once; more are refused with `rate_limited`. */
  maxInFlightCommands: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxConnections: 256,
  maxUnauthenticated: 32,
  maxBufferedBytes: 4 * 1024 * 1024,
  unauthenticatedMaxFrameBytes: 64 * 1024,
  commandsPerSecond: 100,
  commandBurst: 400,
  maxInFlightCommands: 64,
};

/** WebSocket close code for a client dropped for falling behind or flooding (RFC 6455 "policy violation"). */
export const CLOSE_POLICY = 1008;
/** WebSocket close code for a frame too big to take (RFC 6455 "message too big"). */
export const CLOSE_TOO_BIG = 1009;

/** Counts sockets and those not signed in; `admit` says no when either cap is reached. */
export class ConnectionGate {
  private open = 0;
  private strangers = 0;

  constructor(private readonly limits: Pick<SocketLimits, 'maxConnections' | 'maxUnauthenticated'>) {}

  /** A place for a new, not yet signed-in socket, or the reason there is none. */
  admit(): { ok: true; ticket: ConnectionTicket } | { ok: false; reason: string } {
    if (this.open >= this.limits.maxConnections) return { ok: false, reason: `Too many connections (${this.limits.maxConnections})` };
    if (this.strangers >= this.limits.maxUnauthenticated) return { ok: false, reason: `Too many connections waiting to sign in (${this.limits.maxUnauthenticated})` };
    this.open++;
    this.strangers++;
    let signedIn = false;
    let released = false;
    return {
      ok: true,
      ticket: {
        signedIn: () => {
          if (signedIn || released) return;
          signedIn = true;
          this.strangers--;
        },
        release: () => {
          if (released) return;
          released = true;
          this.open--;
          if (!signedIn) this.strangers--;
        },
      },
    };
  }

  get counts(): { open: number; unauthenticated: number } {
    return { open: this.open, unauthenticated: this.strangers };
  }
}

export interface ConnectionTicket {
  /** The socket signed in: it no longer counts against the unauthenticated cap. */
  signedIn(): void;
  /** The socket closed. */
  release(): void;
}

/** A token bucket: `take()` is false when the socket is over its rate. */
export class CommandRate {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1_000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The request id of an oversized frame, read from its first bytes without parsing the whole (clients
 * write `{"type":…,"id":…` first), so the caller still gets a typed answer to its own request.
 */
export function peekFrameId(data: Buffer): string | number | undefined {
  const head = data.subarray(0, 256).toString('utf8');
  const match = /"id"\s*:\s*(?:"((?:[^"\\]|\\.){0,64})"|(-?\d{1,15}))/.exec(head);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1] : Number(match[2]);
}
