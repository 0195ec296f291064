export interface PresenceOptions {
  /** A console not heard from for this long counts as gone. */
  timeoutMs: number;
  onLost(supervisorId: string): void;
  onBack(supervisorId: string): void;
  now?: () => number;
}

/** Forget a supervisor who has been gone this long. */
const FORGET_MS = 30 * 60_000;

/**
 * Which supervisors' consoles are still there, from their heartbeats. Works the same over the
 * Electron bridge and a WebSocket, and notices a network that silently stopped carrying packets.
 */
export class SupervisorPresence {
  private readonly seen = new Map<string, { at: number; lost: boolean }>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly now: () => number;

  constructor(private readonly options: PresenceOptions) {
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => this.check(), Math.max(50, Math.min(500, options.timeoutMs / 4)));
    this.timer.unref?.();
  }

  beat(supervisorId: string): void {
    const entry = this.seen.get(supervisorId);
    const now = this.now();
    if (!entry) {
      this.seen.set(supervisorId, { at: now, lost: false });
      return;
    }
    entry.at = now;
    if (entry.lost) {
      entry.lost = false;
      this.options.onBack(supervisorId);
    }
  }

  check(): void {
    const now = this.now();
    for (const [id, entry] of this.seen) {
      if (!entry.lost && now - entry.at > this.options.timeoutMs) {
        entry.lost = true;
        this.options.onLost(id);
      } else if (entry.lost && now - entry.at > FORGET_MS) {
        this.seen.delete(id);
      }
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.seen.clear();
  }
}
