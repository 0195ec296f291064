import { randomUUID } from 'node:crypto';
import { AttemptOutcome, type DialerStatus } from '../../contracts';
import { LeftOpenCalls } from './left-open-calls';
import type { Clock } from '../clock';
import { openZones } from '../domain/calling-window';
import { DialGate } from '../compliance/dial-gate';
import { afterAttempt } from '../domain/retry-policy';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { CallLauncher, DialOutcome } from '../ports/call-launcher';
import type { Store } from '../storage/database';
import { buildBrief, type BriefContact } from './agent-brief';
import { CampaignCounterQueries } from './campaign-counters';
import type { CampaignLifecycle } from './campaign-lifecycle';
import type { ContactContexts } from './contact-context';
import { DialerLease } from './dialer-lease';
import { DialerStore, type Claim, type DialContact, type LiveCampaign, type QueueEntry } from './dialer-store';
import type { ReadyLine } from '../lines/line-carriers';
import type { DialerLines } from './dialer-lines';
import type { AbandonmentGuard } from '../abandonment/abandonment-guard';
import { callbackBriefLine, type CallbackDialing, type DueCallback } from '../callbacks/callback-dialing';

export type { DialerLines } from './dialer-lines';

export type DialingMode = DialerStatus['mode'];

export interface DialerOptions {
  /** 'timer' ticks on its own; 'manual' only when tick() is called; 'off' never dials (another process does). */
  mode: DialingMode;
  /** Milliseconds between ticks in 'timer' mode. */
  tickMs?: number;
  /** An office-wide cap below the sum of the lines' limits (tests, a cautious first day). */
  lines?: number;
}


export interface TickReport {
  placed: Array<{ attemptId: string; campaignId: string; contactId: string }>;
  dncSkipped: number;
  /** Contacts without the consent their campaign's purpose needs, taken off the queue. */
  consentSkipped: number;
  /** Contacts whose own hours (legal, every zone they may be in) are closed, put back until they open. */
  deferred: number;
  started: string[];
  completed: string[];
  /** Why nothing was placed this tick when the database cannot take writes. */
  storage?: string;
}

/** What the dialer needs of the storage health watch (storage/storage-health.ts). */
export interface DialerStorage {
  readonly ok: boolean;
  state(): { reason: string | null };
  noteError(error: unknown): boolean;
}

interface ActiveCall {
  campaignId: string;
  contactId: string;
  settled: Promise<void>;
}

/** How often the dialing lease is renewed (it goes stale after LEASE_STALE_MS). */
const LEASE_RENEW_MS = 5_000;

/** Counters cost a grouped scan of the campaign's queue; consoles need them about once a second. */
const COUNTERS_EVERY_MS = 1_000;

const DIAL_OUTCOMES = new Set<DialOutcome>(['completed', 'no-answer', 'busy', 'voicemail', 'failed']);

/**
 * The scheduler. Each tick: start scheduled campaigns whose time has come; then, for running
 * campaigns by priority, pick contacts that are due (window open in their zone, retry delay passed,
 * not on the do-not-call list, not in another call) up to the free lines, record each attempt, and
 * only then hand it to the call launcher. On start, attempts a crash left open are closed as
 * `unknown` (they count as an attempt), so a restart never dials anyone twice.
 */
export class Dialer {
  private readonly db: DialerStore;
  private readonly counterQueries: CampaignCounterQueries;
  private readonly lease: DialerLease;
  private readonly gate: DialGate;
  private readonly leftOpen: LeftOpenCalls;
  private leaseHeld = false;
  private leaseRenewedAt = 0;
  private standby: string | null = null;
  private readonly active = new Map<string, ActiveCall>();
  private readonly pendingCounters = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private countersTimer: ReturnType<typeof setTimeout> | undefined;
  private ticking: Promise<TickReport> | undefined;
  private kickQueued = false;
  /** Set when dispose() begins: no new calls. */
  private stopping = false;
  /** Set when dispose() ends: the store may be closed, nothing more is written. */
  private disposed = false;
  readonly mode: DialingMode;
  private readonly cap: number | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      events: EventBus;
      logger: Logger;
      lifecycle: CampaignLifecycle;
      contexts: ContactContexts;
      launcher: CallLauncher | undefined;
      lines: DialerLines;
      /** Slows a campaign near the abandoned-call cap and pauses it at the cap. */
      abandonment: AbandonmentGuard;
      /** The callbacks queue: due AI callbacks are placed ahead of fresh contacts. */
      callbacks?: CallbackDialing | undefined;
      /** A call this process is running now (inbound ones too): never closed as left open. */
      isLive?: (callId: string) => boolean;
      /** While the database cannot take writes (a full disk), no call is placed. */
      storage?: DialerStorage;
      options: DialerOptions;
    },
  ) {
    this.db = new DialerStore(deps.store.sqlite);
    this.counterQueries = new CampaignCounterQueries(deps.store.sqlite);
    this.lease = new DialerLease(deps.store.sqlite);
    this.gate = new DialGate(deps.store.sqlite, deps.clock);
    this.leftOpen = new LeftOpenCalls(deps.store.sqlite);
    this.mode = deps.options.mode;
    this.cap = deps.options.lines;
  }

  /** Calls at once across the office: the sum of the lines' limits (capped by the `lines` option). */
  private get lines(): number {
    const capacity = this.deps.lines.capacity();
    return this.cap === undefined ? capacity : Math.min(capacity, this.cap);
  }

  get hasTelephony(): boolean {
    return this.deps.launcher !== undefined;
  }

  status(): DialerStatus {
    const storage = this.deps.storage && !this.deps.storage.ok ? this.deps.storage.state().reason : null;
    return { mode: this.mode, telephony: this.hasTelephony, standby: this.standby ?? storage, activeCalls: this.active.size, lines: this.lines };
  }

  counters(campaignId: string) {
    return this.counterQueries.counters(campaignId);
  }

  /**
   * Takes the data folder's dialing lease and closes attempts a previous run left open, then (in
   * 'timer' mode) starts ticking. Without the lease it waits, and takes over when the holder goes.
   */
  async start(): Promise<void> {
    if (this.mode === 'off') return;
    this.holdLease();
    if (this.mode === 'timer') {
      this.timer = setInterval(() => this.kick(), this.deps.options.tickMs ?? 1_000);
      this.timer.unref?.();
      this.kick();
    }
  }

  /**
   * Calls and attempts a stopped engine left open: a person cut off mid-conversation becomes
   * `interrupted` (called again only after the campaign's `interrupted` delay, inside its window),
   * anything else `unknown` (retried like a failed call). The calls are closed and announced with
   * `calls.recovered`, so their transcripts are analysed and no console shows them as live.
   */
  reconcile(): number {
    const now = this.deps.clock.now();
    const isLive = (id: string) => this.active.has(id) || (this.deps.isLive?.(id) ?? false);
    const calls = this.leftOpen.find(isLive);
    const byId = new Map(calls.map((call) => [call.id, call]));
    const open = this.db.openAttempts().filter((a) => !isLive(a.id));
    for (const attempt of open) {
      const settings = this.db.settingsOf(attempt.campaign_id);
      const attempts = this.attemptsOf(attempt.campaign_id, attempt.contact_id);
      const outcome = byId.get(attempt.id)?.outcome ?? 'unknown';
      this.db.settle({
        attemptId: attempt.id,
        campaignId: attempt.campaign_id,
        contactId: attempt.contact_id,
        outcome,
        detail: outcome === 'interrupted' ? 'Parley stopped while the person was in conversation' : 'The engine stopped during this call; its outcome is unknown',
        next: afterAttempt({ outcome, attempts, maxAttempts: settings.maxAttempts, retryDelayMinutes: settings.retryDelayMinutes, now }),
        now,
      });
      this.countersChanged(attempt.campaign_id);
    }
    this.leftOpen.closeCalls(calls, now);
    const interrupted = calls.filter((c) => c.outcome === 'interrupted').length;
    if (open.length > 0 || calls.length > 0) {
      this.deps.logger.warn({ attempts: open.length, calls: calls.length, interrupted }, 'closed calls and dial attempts left open by the previous run');
      this.deps.events.emit('calls.recovered', { callIds: calls.map((c) => c.id), interrupted, unknown: calls.length - interrupted });
    }
    return open.length;
  }

  /** Asks for a tick soon (after a launch, a resume, a call ending); ticks never overlap. */
  kick(): void {
    if (this.mode !== 'timer' || this.stopping || this.kickQueued) return;
    this.kickQueued = true;
    setImmediate(() => {
      this.kickQueued = false;
      void this.tick().catch((error: unknown) => {
        if (this.deps.storage?.noteError(error)) return; // said once by the storage watch, which also stops dialing
        this.deps.logger.error({ err: error }, 'dialer tick failed');
      });
    });
  }

  /** One scheduling pass. Callable directly (tests, benchmarks); concurrent calls share one pass. */
  tick(): Promise<TickReport> {
    this.ticking ??= this.runTick().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Resolves when every call placed so far has ended and been recorded. */
  async settled(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()].map((c) => c.settled));
  }

  async dispose(options: { drainMs?: number } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.timer);
    await this.ticking?.catch(() => undefined);
    // Calls still running when the wait ends stay `dialing` in the store and are closed as unknown on next start.
    const drain = this.settled();
    await Promise.race([drain, new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 2_000).unref?.())]);
    this.disposed = true;
    clearTimeout(this.countersTimer);
    if (this.leaseHeld) {
      try {
        this.lease.release();
      } catch (error) {
        // A full disk cannot record the release; the lease goes stale on its own (LEASE_STALE_MS).
        this.deps.logger.warn({ err: error }, 'could not release the dialing lease');
      }
    }
  }

  private async runTick(): Promise<TickReport> {
    const report: TickReport = { placed: [], dncSkipped: 0, consentSkipped: 0, deferred: 0, started: [], completed: [] };
    if (this.stopping || this.mode === 'off' || !this.holdLease()) return report;
    if (this.deps.storage && !this.deps.storage.ok) {
      report.storage = this.deps.storage.state().reason ?? 'The database cannot take writes';
      return report;
    }
    const now = this.deps.clock.now();
    const live = this.db.liveCampaigns();
    for (const campaign of live) {
      if (campaign.status === 'scheduled' && campaign.startAt !== null && campaign.startAt <= now) {
        await this.deps.lifecycle.start(campaign.id);
        campaign.status = 'running';
        report.started.push(campaign.id);
      }
    }
    for (const campaign of live) if (campaign.status === 'running') this.deps.callbacks?.requeue(campaign.id, now);
    const running = live
      .filter((c) => c.status === 'running')
      .sort((a, b) => b.settings.priority - a.settings.priority || a.createdAt - b.createdAt);
    let free = this.launcherReady() ? this.lines - this.active.size : 0;
    for (const campaign of running) {
      if (free <= 0) break;
      if (campaign.settings.direction === 'inbound') continue; // answers calls, never dials
      const line = this.deps.lines.lineFor(campaign.settings.lineId);
      if (!line?.canDial) continue; // its line was removed or cannot carry calls now: the queue waits
      const allowed = await this.deps.abandonment.allowedCalls(campaign.id, campaign.settings.maxConcurrentCalls);
      const slots = Math.min(free, line.free, allowed - this.activeIn(campaign.id));
      if (slots <= 0) continue;
      const placed = this.fill(campaign, line, slots, now, report);
      free -= placed;
    }
    for (const campaign of running) {
      if (this.activeIn(campaign.id) > 0 || this.db.hasWork(campaign.id)) continue;
      try {
        await this.deps.lifecycle.apply(campaign.id, 'complete', 'Every contact has been called');
        report.completed.push(campaign.id);
      } catch (error) {
        // Paused or stopped by someone in the meantime: nothing to complete.
        this.deps.logger.info({ err: error, campaignId: campaign.id }, 'campaign not completed');
      }
    }
    return report;
  }

  /** Renews the lease every few seconds; on first taking it, closes what a crashed holder left open. */
  private holdLease(): boolean {
    const now = Date.now();
    if (this.leaseHeld && now - this.leaseRenewedAt < LEASE_RENEW_MS) return true;
    const attempt = this.lease.acquire();
    this.leaseRenewedAt = now;
    if (!attempt.held) {
      const reason = `Another Parley (${attempt.holder}) is placing the calls for this data folder`;
      if (this.standby !== reason) this.deps.logger.warn({ holder: attempt.holder }, 'dialer on standby: another process holds the dialing lease');
      this.leaseHeld = false;
      this.standby = reason;
      return false;
    }
    if (!this.leaseHeld) {
      this.leaseHeld = true;
      this.standby = null;
      this.reconcile();
    }
    return true;
  }

  private launcherReady(): boolean {
    return this.deps.launcher !== undefined;
  }

  /** Places up to `slots` calls for one campaign; returns how many. */
  private fill(campaign: LiveCampaign, line: ReadyLine, slots: number, now: number, report: TickReport): number {
    const zones = openZones(campaign.settings.callingWindow, this.db.queuedZones(campaign.id), now);
    if (zones.length === 0) return 0;
    // Contacts already in a call elsewhere stay queued and would be picked again: ask for enough extra.
    const want = slots + this.active.size + 8;
    // Due AI callbacks go ahead of fresh contacts.
    const callbacks = new Map((this.deps.callbacks?.due(campaign.id, zones, now, want) ?? []).map((c) => [c.contactId, c]));
    const candidates: QueueEntry[] = [
      ...[...callbacks.values()].map((c) => c.entry),
      ...zones
        .flatMap((zone) => this.db.dueInZone(campaign.id, zone, now, want))
        .filter((e) => !callbacks.has(e.contact_id))
        .sort((a, b) => a.next_at - b.next_at || a.seq - b.seq),
    ];
    const chosen: Array<{ entry: QueueEntry; contact: DialContact; claim: Claim }> = [];
    for (const entry of candidates) {
      if (chosen.length >= slots) break;
      const contact = this.db.contact(entry.contact_id);
      if (!contact) continue;
      if (contact.on_dnc) {
        this.db.markDnc(campaign.id, contact.id, now);
        report.dncSkipped++;
        this.countersChanged(campaign.id);
        continue;
      }
      if (contact.busy || this.activeContact(contact.id) || chosen.some((c) => c.contact.id === contact.id)) continue;
      const gate = this.gate.check(campaign.settings, contact, line.dryRun, now);
      if (gate.verdict === 'later') {
        this.db.defer(campaign.id, contact.id, gate.until, now);
        report.deferred++;
        continue;
      }
      if (gate.verdict === 'no-consent') {
        this.db.markNoConsent(campaign.id, contact.id, now);
        report.consentSkipped++;
        this.countersChanged(campaign.id);
        continue;
      }
      chosen.push({ entry, contact, claim: { attemptId: randomUUID(), campaignId: campaign.id, contactId: contact.id, phone: contact.phone_e164, variant: entry.variant, now, dryRun: line.dryRun } });
    }
    // Every attempt is on disk before the first of them is dialed.
    const attempts = this.db.claim(chosen.map((c) => c.claim));
    let placed = 0;
    chosen.forEach(({ entry, contact, claim }, i) => {
      const attempt = attempts[i];
      if (attempt === undefined) return;
      const release = this.deps.lines.hold(line.id);
      if (!release) {
        // Full meanwhile (an inbound call took the line): the attempt ends at once and is retried per policy.
        this.settleNow(campaign.id, contact.id, claim.attemptId, attempt, 'failed', 'Every call of the line was in use');
        return;
      }
      this.place(campaign, contact, entry, claim.attemptId, attempt, line, release, callbacks.get(contact.id));
      report.placed.push({ attemptId: claim.attemptId, campaignId: campaign.id, contactId: contact.id });
      placed++;
    });
    if (this.deps.contexts.usesModel) this.prefetchContexts(campaign, candidates.slice(placed, placed + 5));
    return placed;
  }

  private settleNow(campaignId: string, contactId: string, attemptId: string, attempt: number, outcome: AttemptOutcome, detail: string): void {
    const now = this.deps.clock.now();
    const settings = this.db.settingsOf(campaignId);
    this.db.settle({ attemptId, campaignId, contactId, outcome, detail, next: afterAttempt({ outcome, attempts: attempt, maxAttempts: settings.maxAttempts, retryDelayMinutes: settings.retryDelayMinutes, now }), now });
    this.countersChanged(campaignId);
  }

  private place(campaign: LiveCampaign, contact: DialContact, entry: QueueEntry, attemptId: string, attempt: number, line: ReadyLine, release: () => void, callback?: DueCallback): void {
    const briefContact = toBriefContact(contact);
    const history = { attempts: contact.attempt_count, lastOutcome: contact.last_outcome, lastAttemptAt: contact.last_attempt_at };
    let contactContext = this.deps.contexts.contextFor(campaign, contact.id, briefContact, history);
    if (callback) {
      contactContext = `${callbackBriefLine(callback)}\n${contactContext}`;
      this.deps.callbacks?.dialing(callback.callbackId, attemptId, this.deps.clock.now());
    }
    const brief = buildBrief({ campaign, contact: briefContact, variant: entry.variant, contactContext });
    if (callback) brief.callback = { askedWords: callback.askedWords };
    const launcher = this.deps.launcher!;
    const run = async () => {
      let outcome: AttemptOutcome = 'failed';
      let detail: string | null;
      try {
        const result = await launcher.launch(
          { callId: attemptId, campaignId: campaign.id, contactId: contact.id, phoneE164: contact.phone_e164, attempt, brief, line: { id: line.id, telephony: line.telephony, dryRun: line.dryRun } },
          {
            answered: () => {
              if (!this.disposed && this.db.answered(attemptId, this.deps.clock.now())) this.countersChanged(campaign.id);
            },
          },
        );
        if (DIAL_OUTCOMES.has(result.outcome)) {
          outcome = result.outcome;
          detail = result.detail ?? null;
        } else {
          detail = `The call launcher reported an unknown outcome ${JSON.stringify(result.outcome)}`;
        }
      } catch (error) {
        detail = `The call could not be placed: ${(error as Error)?.message ?? String(error)}`;
        this.deps.logger.error({ err: error, attemptId, campaignId: campaign.id }, 'call launcher failed');
      }
      if (this.disposed) return; // the store is closing; the next start reconciles this attempt
      const now = this.deps.clock.now();
      const settings = this.db.settingsOf(campaign.id);
      this.db.settle({
        attemptId,
        campaignId: campaign.id,
        contactId: contact.id,
        outcome,
        detail,
        next: afterAttempt({ outcome, attempts: attempt, maxAttempts: settings.maxAttempts, retryDelayMinutes: settings.retryDelayMinutes, now }),
        now,
      });
      if (callback) this.deps.callbacks?.attemptEnded(attemptId, outcome, now);
      this.countersChanged(campaign.id);
    };
    const settled = run()
      .catch((error: unknown) => this.deps.logger.error({ err: error, attemptId }, 'recording a call outcome failed'))
      .finally(() => {
        release();
        this.active.delete(attemptId);
        this.kick(); // a line is free
      });
    this.active.set(attemptId, { campaignId: campaign.id, contactId: contact.id, settled });
    this.countersChanged(campaign.id);
  }

  /** Model-written contexts for the next few contacts in line, prepared while the current calls run. */
  private prefetchContexts(campaign: LiveCampaign, upcoming: QueueEntry[]): void {
    for (const entry of upcoming) {
      const contact = this.db.contact(entry.contact_id);
      if (!contact || contact.on_dnc) continue;
      this.deps.contexts.prefetch(campaign, contact.id, toBriefContact(contact), {
        attempts: contact.attempt_count,
        lastOutcome: contact.last_outcome,
        lastAttemptAt: contact.last_attempt_at,
      });
    }
  }

  private attemptsOf(campaignId: string, contactId: string): number {
    const row = this.deps.store.sqlite
      .prepare('select attempts from campaign_contacts where campaign_id = ? and contact_id = ?')
      .get(campaignId, contactId) as { attempts: number } | undefined;
    return row?.attempts ?? 1;
  }

  private activeIn(campaignId: string): number {
    let n = 0;
    for (const call of this.active.values()) if (call.campaignId === campaignId) n++;
    return n;
  }

  private activeContact(contactId: string): boolean {
    for (const call of this.active.values()) if (call.contactId === contactId) return true;
    return false;
  }

  /** Counter events are coalesced: at most one per campaign a second, whatever the call rate. */
  private countersChanged(campaignId: string): void {
    this.pendingCounters.add(campaignId);
    if (this.countersTimer || this.disposed) return;
    this.countersTimer = setTimeout(() => {
      this.countersTimer = undefined;
      if (this.disposed) return;
      for (const id of this.pendingCounters) this.deps.events.emit('campaign.counters', { counters: this.counters(id) });
      this.pendingCounters.clear();
    }, COUNTERS_EVERY_MS);
    this.countersTimer.unref?.();
  }
}

function toBriefContact(contact: DialContact): BriefContact {
  return {
    name: contact.name,
    company: contact.company,
    email: contact.email,
    timezone: contact.timezone,
    tags: JSON.parse(contact.tags) as string[],
    custom: JSON.parse(contact.custom) as Record<string, string>,
  };
}
