import { ParleyError, type CallController, type ControlMode, type Supervisor } from '../../contracts';

export interface Lease {
  callId: string;
  supervisor: Supervisor;
  mode: ControlMode;
  since: number;
  /** The supervisor's console still answers heartbeats. */
  console: boolean;
  /** Their microphone stream (barge, takeover): pending until it opens, closed when it drops. */
  audio: 'none' | 'pending' | 'open' | 'closed';
  /** The ticket of that stream; a stream replaced by a newer one no longer counts. */
  audioToken: string | null;
  /** Set while the supervisor is out of reach: when the call goes back to the AI. */
  graceEndsAt: number | null;
}

export interface LeaseOptions {
  /** How long a supervisor who lost their console or microphone keeps control before the AI resumes. */
  graceMs: number;
  /** Called once when the grace period runs out; the lease is already gone. */
  onGraceExpired(lease: Lease): void;
  now?: () => number;
}

const connected = (lease: Lease) => lease.console && lease.audio !== 'closed';

/**
 * Who controls each call. One supervisor at a time: claims are synchronous, so of two arriving
 * together one wins and the other is told who has the call. A supervisor who drops out keeps the
 * call for a grace period (a reconnect picks it up again), then it goes back to the AI.
 */
export class ControlLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly now: () => number;

  constructor(private readonly options: LeaseOptions) {
    this.now = options.now ?? Date.now;
  }

  get(callId: string): Lease | undefined {
    return this.leases.get(callId);
  }

  /** Takes control (or changes mode when already in control). Throws `conflict` naming the holder. */
  claim(callId: string, supervisor: Supervisor, mode: ControlMode, audioToken: string | null = null): { lease: Lease; previous: ControlMode | null } {
    const held = this.leases.get(callId);
    if (held && held.supervisor.id !== supervisor.id && connected(held)) {
      throw new ParleyError('conflict', `${held.supervisor.name} is in control of this call (${describeMode(held.mode)} for ${ago(this.now() - held.since)}). Ask them to hand it back.`);
    }
    const previous = held && held.supervisor.id === supervisor.id ? held.mode : null;
    const lease: Lease = {
      callId,
      supervisor,
      mode,
      since: previous === mode ? held!.since : this.now(),
      console: true,
      audio: audioToken ? 'pending' : 'none',
      audioToken,
      graceEndsAt: null,
    };
    this.clearTimer(callId);
    this.leases.set(callId, lease);
    return { lease, previous };
  }

  /** Gives control up. Throws `conflict` when someone else holds it, `not_found`-free: nothing held is fine. */
  release(callId: string, supervisorId: string): Lease | undefined {
    const held = this.leases.get(callId);
    if (!held) return undefined;
    if (held.supervisor.id !== supervisorId) throw new ParleyError('conflict', `${held.supervisor.name} is in control of this call; only they can hand it back.`);
    this.drop(callId);
    return held;
  }

  /** Another supervisor may end or mark a call only when nobody else is in control. */
  assertMayAct(callId: string, supervisorId: string): void {
    const held = this.leases.get(callId);
    if (held && held.supervisor.id !== supervisorId && connected(held)) {
      throw new ParleyError('conflict', `${held.supervisor.name} is in control of this call (${describeMode(held.mode)}). Ask them first.`);
    }
  }

  heldBy(supervisorId: string): Lease[] {
    return [...this.leases.values()].filter((l) => l.supervisor.id === supervisorId);
  }

  /** The console stopped or resumed heartbeats; returns the leases whose connection changed. */
  setConsole(supervisorId: string, alive: boolean): Lease[] {
    return this.update(this.heldBy(supervisorId), (lease) => (lease.console = alive));
  }

  /** The microphone stream of the supervisor holding `callId` opened or dropped. */
  setAudio(callId: string, audioToken: string, state: 'open' | 'closed'): Lease[] {
    const lease = this.leases.get(callId);
    if (!lease || lease.audioToken !== audioToken) return [];
    return this.update([lease], (l) => (l.audio = state));
  }

  drop(callId: string): void {
    this.clearTimer(callId);
    this.leases.delete(callId);
  }

  toView(lease: Lease | undefined): CallController | null {
    if (!lease) return null;
    return {
      supervisorId: lease.supervisor.id,
      name: lease.supervisor.name,
      mode: lease.mode,
      since: new Date(lease.since).toISOString(),
      connected: connected(lease),
      graceEndsAt: lease.graceEndsAt === null ? null : new Date(lease.graceEndsAt).toISOString(),
    };
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.leases.clear();
  }

  private update(leases: Lease[], change: (lease: Lease) => void): Lease[] {
    const changed: Lease[] = [];
    for (const lease of leases) {
      const before = connected(lease);
      change(lease);
      const after = connected(lease);
      if (before === after) continue;
      changed.push(lease);
      if (after) {
        lease.graceEndsAt = null;
        this.clearTimer(lease.callId);
      } else {
        lease.graceEndsAt = this.now() + this.options.graceMs;
        this.timers.set(
          lease.callId,
          setTimeout(() => {
            if (this.leases.get(lease.callId) !== lease || connected(lease)) return;
            this.drop(lease.callId);
            this.options.onGraceExpired(lease);
          }, this.options.graceMs),
        );
      }
    }
    return changed;
  }

  private clearTimer(callId: string): void {
    const timer = this.timers.get(callId);
    if (timer) clearTimeout(timer);
    this.timers.delete(callId);
  }
}

export function isConnected(lease: Lease): boolean {
  return connected(lease);
}

function describeMode(mode: ControlMode): string {
  return mode === 'takeover' ? 'taken over' : mode === 'barge' ? 'barged in' : 'whispering';
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
