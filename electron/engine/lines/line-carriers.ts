import type { CarrierState, Line } from '../../contracts';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { CallLine } from '../ports/call-launcher';
import type { DeskPhoneCall, DeskPhoneVerdict, IncomingCall, LineConfig, Telephony } from '../ports/telephony';
import { lineSecretKey, type SecretStore } from '../secrets/secret-store';
import type { LineFactories, LineFactoryDeps } from '../telephony/line-factories';
import type { StoredLine } from './lines-repository';

interface Entry {
  line: StoredLine;
  /** False while a carrier that connects to the network is left unbuilt (an engine that does not dial). */
  built: boolean;
  carrier: Telephony | undefined;
  /** Why the carrier could not be built (shown as the line's state). */
  error: CarrierState | undefined;
  active: number;
  off: Array<() => void>;
}

/** A line ready to carry a call. */
export interface ReadyLine extends CallLine {
  name: string;
  maxCalls: number;
  free: number;
  /**
   * The carrier says it can place calls now. While it cannot (wrong password, network gone,
   * registering), the dialer leaves the queue as it is: no attempt is spent on a line that is down.
   */
  canDial: boolean;
  /** The inbound campaign that answers calls arriving on this line. */
  inboundCampaignId: string | null;
}

export type IncomingHandler = (line: ReadyLine, call: IncomingCall) => void;

/**
 * One carrier (Telephony) per configured line, built through the line-factories registry: rebuilt
 * when the line is edited, disposed when it is removed and when the engine stops. Counts the calls
 * in progress on each line against its limit, forwards carrier state changes as `line.state`
 * events and hands calls that arrive on a line to the inbound router.
 */
export class LineCarriers {
  private readonly entries = new Map<string, Entry>();
  private incoming: IncomingHandler | undefined;
  private deskCalls: ((call: DeskPhoneCall) => Promise<DeskPhoneVerdict>) | undefined;
  private disposed = false;

  constructor(
    private readonly deps: {
      factories: LineFactories;
      carrierDeps: LineFactoryDeps;
      /**
       * Build every carrier at once (the engine that dials: registration and incoming calls start
       * here). False for one-shot commands: a carrier that connects to the network is built only
       * when tested, so a command never competes with the Parley that runs on the data folder.
       */
      connect: boolean;
      secrets: SecretStore;
      events: EventBus;
      logger: Logger;
      now: () => number;
    },
  ) {}

  /** Builds the carriers of every stored line (engine start). */
  async start(lines: StoredLine[]): Promise<void> {
    for (const line of lines) await this.set(line);
  }

  /** Builds (or rebuilds, after an edit) the carrier of one line; the old carrier is disposed first. */
  async set(line: StoredLine, build = this.deps.connect || line.kind === 'simulated'): Promise<void> {
    if (this.disposed) return;
    const previous = this.entries.get(line.id);
    const entry: Entry = { line, built: build, carrier: undefined, error: undefined, active: previous?.active ?? 0, off: [] };
    this.entries.set(line.id, entry);
    if (previous) await this.close(previous);
    if (!build) return;
    try {
      const secret = line.hasSecret ? await this.deps.secrets.get(lineSecretKey(line.id)) : undefined;
      const config: LineConfig<never> = { id: line.id, name: line.name, settings: line.settings as never, secret, callerIds: line.callerIds, codecs: line.codecs, maxCalls: line.maxCalls };
      const carrier = (this.deps.factories[line.kind] as (c: LineConfig<never>, d: LineFactoryDeps) => Telephony)(config, this.deps.carrierDeps);
      entry.carrier = carrier;
      if (carrier.onStateChange) entry.off.push(carrier.onStateChange((state) => this.deps.events.emit('line.state', { id: line.id, state })));
      if (carrier.onIncoming) entry.off.push(carrier.onIncoming((call) => this.arrived(line.id, call)));
      if (carrier.onDeskPhoneCall) entry.off.push(carrier.onDeskPhoneCall((call) => (this.deskCalls ? this.deskCalls({ ...call, lineId: line.id }) : Promise.resolve({ allowed: false, reason: 'Desk phone calls are not taken by this Parley' }))));
      // Registration runs in the background; its outcome arrives as state changes.
      carrier.start?.().catch((error: unknown) => this.deps.logger.warn({ lineId: line.id, err: error }, 'line carrier did not start'));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      entry.error = { status: 'offline', detail, since: new Date(this.deps.now()).toISOString() };
      this.deps.logger.warn({ lineId: line.id, kind: line.kind, detail }, 'line carrier not available');
    }
    this.deps.events.emit('line.state', { id: line.id, state: this.state(line.id) });
  }

  /** Builds the line's carrier if it was left unbuilt (a one-shot command testing the line). */
  async ensure(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry && !entry.built) await this.set(entry.line, true);
  }

  async remove(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    await this.close(entry);
  }

  /** Where calls that arrive on any line go (the inbound router). */
  onIncoming(handler: IncomingHandler): void {
    this.incoming = handler;
  }

  /** Who decides whether a desk agent's own phone may place a call (identity, do-not-call). */
  onDeskPhoneCall(handler: (call: DeskPhoneCall) => Promise<DeskPhoneVerdict>): void {
    this.deskCalls = handler;
  }

  state(id: string): CarrierState {
    const entry = this.entries.get(id);
    if (!entry) return { status: 'disabled', detail: 'This line no longer exists', since: new Date(this.deps.now()).toISOString() };
    if (!entry.built) return { status: 'offline', detail: 'Connected by the Parley that runs on this data folder (parley serve or the desktop app), not by this command', since: new Date(entry.line.updatedAt).toISOString() };
    if (entry.error) return entry.error;
    return entry.carrier?.state?.() ?? { status: 'ready', detail: 'Ready', since: new Date(entry.line.updatedAt).toISOString() };
  }

  carrier(id: string): Telephony | undefined {
    return this.entries.get(id)?.carrier;
  }

  activeCalls(id: string): number {
    return this.entries.get(id)?.active ?? 0;
  }

  /** True when a line other than a simulated one is configured. */
  hasRealLine(): boolean {
    for (const entry of this.entries.values()) if (entry.line.kind !== 'simulated') return true;
    return false;
  }

  /**
   * The line a campaign dials through: its own, else the office's first real line (oldest).
   * Undefined when there is none, or its carrier could not be built.
   */
  lineFor(lineId: string | null): ReadyLine | undefined {
    const entry = lineId ? this.entries.get(lineId) : [...this.entries.values()].find((e) => e.line.kind !== 'simulated');
    if (!entry?.carrier) return undefined;
    return this.ready(entry);
  }

  /** Takes one of the line's calls; returns the release, or undefined when the line is full. */
  hold(id: string): (() => void) | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.active >= entry.line.maxCalls) return undefined;
    entry.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Looked up again: the line may have been rebuilt (the count moves to the new entry) or removed.
      const current = this.entries.get(id);
      if (current) current.active = Math.max(0, current.active - 1);
    };
  }

  /** Calls at once across the office: the sum of every line's limit. */
  capacity(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.line.maxCalls;
    return total;
  }

  view(line: StoredLine): Line {
    return {
      id: line.id,
      kind: line.kind,
      name: line.name,
      callerIds: line.callerIds,
      maxCalls: line.maxCalls,
      codecs: line.codecs,
      inboundCampaignId: line.inboundCampaignId,
      ratePerMinuteUsd: line.ratePerMinuteUsd,
      settings: line.settings,
      hasSecret: line.hasSecret,
      dryRun: line.kind === 'simulated',
      state: this.state(line.id),
      activeCalls: this.activeCalls(line.id),
      createdAt: new Date(line.createdAt).toISOString(),
      updatedAt: new Date(line.updatedAt).toISOString(),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((e) => this.close(e)));
  }

  private ready(entry: Entry): ReadyLine {
    const { line } = entry;
    return { id: line.id, name: line.name, telephony: entry.carrier!, dryRun: line.kind === 'simulated', maxCalls: line.maxCalls, free: Math.max(0, line.maxCalls - entry.active), canDial: this.state(line.id).status === 'ready', inboundCampaignId: line.inboundCampaignId };
  }

  private arrived(lineId: string, call: IncomingCall): void {
    const entry = this.entries.get(lineId);
    if (!entry?.carrier || !this.incoming) {
      void call.reject('unavailable', 'No inbound route').catch(() => undefined);
      return;
    }
    this.incoming(this.ready(entry), call);
  }

  private async close(entry: Entry): Promise<void> {
    for (const off of entry.off) off();
    await entry.carrier?.dispose().catch((error: unknown) => this.deps.logger.warn({ err: error, lineId: entry.line.id }, 'line carrier did not close cleanly'));
  }
}
