import type BetterSqlite3 from 'better-sqlite3';
import { openingProblems, ParleyError, renderOpening, type Campaign, type CampaignStatus, type CampaignTransition } from '../../contracts';
import type { Clock } from '../clock';
import type { SegmentsRepository } from '../contacts/segments-repository';
import { nextStatus, type LifecycleAction } from '../domain/campaign-lifecycle';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { CampaignsRepository } from '../storage/campaigns-repository';
import type { Store } from '../storage/database';
import { enrollContacts } from './enrollment';

/**
 * Moves campaigns through draft -> scheduled -> running <-> paused -> completed / stopped. Each
 * transition is one SQLite transaction (status + history row, guarded by the expected old status,
 * so two consoles pressing "pause" at once cannot both win) and is announced to every console.
 */
export class CampaignLifecycle {
  private readonly setStatus: BetterSqlite3.Statement;
  private readonly addTransition: BetterSqlite3.Statement;
  private readonly history: BetterSqlite3.Statement;
  private readonly transition: (t: { id: string; from: CampaignStatus; to: CampaignStatus; reason: string; now: number; startAt: number | null | undefined }) => boolean;
  /** Says why a campaign may not start dialing now (a spent budget), or null. */
  private spendGate: ((campaignId: string) => string | null) | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      events: EventBus;
      logger: Logger;
      campaigns: CampaignsRepository;
      segments: SegmentsRepository;
    },
  ) {
    const { sqlite } = deps.store;
    this.setStatus = sqlite.prepare(
      `update campaigns set status = @to, updated_at = @now, start_at = coalesce(@startAt, start_at)
       where id = @id and status = @from and deleted_at is null`,
    );
    this.addTransition = sqlite.prepare(
      'insert into campaign_transitions (campaign_id, from_status, to_status, at, reason) values (?, ?, ?, ?, ?)',
    );
    this.history = sqlite.prepare('select from_status, to_status, at, reason from campaign_transitions where campaign_id = ? order by id');
    this.transition = sqlite.transaction((t) => {
      const changed = this.setStatus.run({ id: t.id, from: t.from, to: t.to, now: t.now, startAt: t.startAt ?? null }).changes === 1;
      if (changed) this.addTransition.run(t.id, t.from, t.to, t.now, t.reason);
      return changed;
    });
  }

  /** Budgets refuse a launch or resume while a limit is spent (set once by the engine). */
  setSpendGate(gate: (campaignId: string) => string | null): void {
    this.spendGate = gate;
  }

  private assertBudget(id: string): void {
    const refusal = this.spendGate?.(id);
    if (refusal) throw new ParleyError('conflict', refusal);
  }

  /** draft -> running now, or -> scheduled when `startAt` is later. Takes the audience into the queue first. */
  async launch(id: string, startAt: number | undefined): Promise<Campaign> {
    this.assertBudget(id);
    const campaign = await this.deps.campaigns.get(id);
    const now = this.deps.clock.now();
    const scheduled = startAt !== undefined && startAt > now;
    nextStatus(campaign.status, scheduled ? 'schedule' : 'launch'); // fail before enrolling if not possible
    const added = await this.enroll(campaign);
    const total = Number(
      (this.deps.store.sqlite.prepare('select count(*) as n from campaign_contacts where campaign_id = ?').get(id) as { n: number }).n,
    );
    if (total === 0) {
      const audience = campaign.segmentId ? 'The segment matches no contacts' : 'There are no contacts yet';
      throw new ParleyError('conflict', `${audience}: nothing to call. Import contacts or choose another segment.`);
    }
    this.deps.logger.info({ campaignId: id, added, scheduled }, 'campaign audience enrolled');
    this.assertOpening(campaign);
    return this.apply(id, scheduled ? 'schedule' : 'launch', scheduled ? `Scheduled for ${new Date(startAt).toISOString()}` : 'Launched', startAt);
  }

  /** scheduled -> running when its start time comes (the dialer calls this). */
  async start(id: string): Promise<Campaign> {
    await this.enroll(await this.deps.campaigns.get(id));
    return this.apply(id, 'start', 'Start time reached');
  }

  async resume(id: string, reason?: string): Promise<Campaign> {
    this.assertBudget(id);
    const campaign = await this.deps.campaigns.get(id);
    nextStatus(campaign.status, 'resume');
    // Contacts who joined the segment while paused are taken in too.
    await this.enroll(campaign);
    return this.apply(id, 'resume', reason || 'Resumed');
  }

  async apply(id: string, action: LifecycleAction, reason: string, startAt?: number): Promise<Campaign> {
    const before = await this.deps.campaigns.get(id);
    const to = nextStatus(before.status, action);
    const now = this.deps.clock.now();
    if (!this.transition({ id, from: before.status, to, reason, now, startAt })) {
      throw new ParleyError('conflict', `The campaign changed meanwhile; it is now ${(await this.deps.campaigns.get(id)).status}`);
    }
    const campaign = await this.deps.campaigns.get(id);
    const transition: CampaignTransition = { from: before.status, to, at: new Date(now).toISOString(), reason };
    this.deps.logger.info({ campaignId: id, from: before.status, to, reason }, 'campaign status changed');
    this.deps.events.emit('campaign.changed', { campaign });
    this.deps.events.emit('campaign.transition', { campaignId: id, transition });
    return campaign;
  }

  transitions(id: string): CampaignTransition[] {
    const rows = this.history.all(id) as Array<{ from_status: string | null; to_status: string; at: number; reason: string }>;
    return rows.map((r) => ({
      from: r.from_status as CampaignStatus | null,
      to: r.to_status as CampaignStatus,
      at: new Date(r.at).toISOString(),
      reason: r.reason,
    }));
  }

  /**
   * Refuses a launch whose opening line would go wrong for a contact of the audience (an unfilled
   * placeholder, the campaign's internal name), showing the line as that contact would hear it.
   */
  private assertOpening(campaign: Campaign): void {
    const rows = this.deps.store.sqlite
      .prepare(
        `select c.name, c.company, c.custom from campaign_contacts cc join contacts c on c.id = cc.contact_id
         where cc.campaign_id = ? and cc.state = 'queued' order by cc.seq limit ${OPENING_CHECKS}`,
      )
      .all(campaign.id) as Array<{ name: string | null; company: string | null; custom: string | null }>;
    for (const row of rows) {
      const rendered = renderOpening(campaign, { name: row.name, company: row.company, custom: parseCustom(row.custom) });
      const problems = openingProblems(rendered, campaign.name, campaign.companyName);
      if (problems.length > 0) {
        throw new ParleyError('conflict', `The opening line cannot be used. ${problems.join(' ')} ${row.name?.trim() || 'A contact'} would hear: "${rendered.text}"`);
      }
    }
  }

  private async enroll(campaign: Campaign): Promise<number> {
    let filter = null;
    if (campaign.segmentId) {
      try {
        filter = await this.deps.segments.filterOf(campaign.segmentId);
      } catch (error) {
        if (error instanceof ParleyError && error.code === 'not_found') {
          throw new ParleyError('conflict', "The campaign's segment was deleted; choose another segment");
        }
        throw error;
      }
    }
    return enrollContacts(this.deps.store.db, { id: campaign.id, settings: campaign }, filter, this.deps.clock.now());
  }
}

/** Contacts of the audience whose opening is checked at launch (the first ones to be called). */
const OPENING_CHECKS = 200;

function parseCustom(json: string | null): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
