import type BetterSqlite3 from 'better-sqlite3';
import type { AttemptOutcome, CampaignSettings } from '../../contracts';
import type { AfterAttempt } from '../domain/retry-policy';
import { readSettings } from '../storage/campaign-settings-store';
import { PHONE_HASH_SQL_FUNCTION } from '../storage/phone-hash';

export interface LiveCampaign {
  id: string;
  name: string;
  status: 'scheduled' | 'running';
  agentPrompt: string;
  questions: string[];
  /** The opening discloses automation, recording and emotion analysis (campaign setting, on by default). */
  disclosure: boolean;
  settings: CampaignSettings;
  startAt: number | null;
  createdAt: number;
}

export interface QueueEntry {
  contact_id: string;
  seq: number;
  next_at: number;
  attempts: number;
  variant: string | null;
}

export interface DialContact {
  id: string;
  name: string;
  phone_e164: string;
  company: string | null;
  email: string | null;
  timezone: string | null;
  timezone_inferred: number;
  custom: string;
  tags: string;
  attempt_count: number;
  last_outcome: string | null;
  last_attempt_at: number | null;
  on_dnc: number;
  /** An attempt for this contact is under way in some campaign. */
  busy: number;
}

export interface OpenAttempt {
  id: string;
  campaign_id: string;
  contact_id: string;
}

/**
 * The dialer's SQL, as prepared statements on the raw connection: the tick runs these many times a
 * second and each must be an index seek (see the campaign_contacts_due index in 002_dialer).
 */
export class DialerStore {
  private readonly s: Record<string, BetterSqlite3.Statement>;
  private readonly claimTx: (claims: Claim[]) => Array<number | undefined>;
  private readonly settleTx: (settle: Settle) => boolean;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    const p = (text: string) => sqlite.prepare(text);
    this.s = {
      live: p(
        `select id, name, status, agent_prompt, questions, disclosure, settings, start_at, created_at from campaigns
         where deleted_at is null and status in ('scheduled', 'running')`,
      ),
      // Distinct zones with queued contacts, one index seek per zone (a "loose index scan").
      zones: p(
        `with recursive z(tz) as (
           select min(timezone) from campaign_contacts where campaign_id = @c and state = 'queued'
           union all
           select (select min(timezone) from campaign_contacts where campaign_id = @c and state = 'queued' and timezone > z.tz)
           from z where z.tz is not null)
         select tz from z where tz is not null`,
      ),
      due: p(
        `select contact_id, seq, next_at, attempts, variant from campaign_contacts
         where campaign_id = ? and state = 'queued' and timezone = ? and next_at <= ?
         order by next_at, seq limit ?`,
      ),
      contact: p(
        `select c.id, c.name, c.phone_e164, c.company, c.email, c.timezone, c.timezone_inferred, c.custom, c.tags,
           c.attempt_count, c.last_outcome, c.last_attempt_at,
           (exists (select 1 from dnc_numbers d where d.phone_e164 = c.phone_e164)
             or exists (select 1 from dnc_hashes h where h.phone_hash = ${PHONE_HASH_SQL_FUNCTION}(c.phone_e164))) as on_dnc,
           exists (select 1 from dial_attempts a where a.contact_id = c.id and a.state in ('dialing', 'in-call')) as busy
         from contacts c where c.id = ?`,
      ),
      defer: p(`update campaign_contacts set next_at = ?, updated_at = ? where campaign_id = ? and contact_id = ? and state = 'queued'`),
      markNoConsent: p(
        `update campaign_contacts set state = 'no-consent', last_outcome = null, updated_at = ? where campaign_id = ? and contact_id = ? and state = 'queued'`,
      ),
      markDnc: p(`update campaign_contacts set state = 'dnc', updated_at = ? where campaign_id = ? and contact_id = ? and state = 'queued'`),
      claimQueue: p(
        `update campaign_contacts set state = 'dialing', attempts = attempts + 1, updated_at = @now
         where campaign_id = @campaign and contact_id = @contact and state = 'queued'
         returning attempts`,
      ),
      insertAttempt: p(
        `insert into dial_attempts (id, campaign_id, contact_id, attempt, phone_e164, variant, state, created_at, dry_run)
         values (@id, @campaign, @contact, @attempt, @phone, @variant, 'dialing', @now, @dryRun)`,
      ),
      // A dry-run attempt (simulated line) never changes the contact's own record: the guard is in the SQL.
      contactAttempted: p(
        `update contacts set last_attempt_at = @now, attempt_count = attempt_count + 1
         where id = @contact and not exists (select 1 from dial_attempts where id = @attempt and dry_run = 1)`,
      ),
      answered: p(`update dial_attempts set state = 'in-call', answered_at = ? where id = ? and state = 'dialing'`),
      endAttempt: p(
        `update dial_attempts set state = 'ended', outcome = @outcome, detail = @detail, ended_at = @now
         where id = @id and state != 'ended'`,
      ),
      requeue: p(
        `update campaign_contacts set state = @state, next_at = @next, last_outcome = @outcome, updated_at = @now
         where campaign_id = @campaign and contact_id = @contact and state = 'dialing'`,
      ),
      contactOutcome: p(
        `update contacts set last_outcome = @outcome
         where id = @contact and not exists (select 1 from dial_attempts where id = @attempt and dry_run = 1)`,
      ),
      open: p(`select id, campaign_id, contact_id from dial_attempts where state in ('dialing', 'in-call')`),
      hasWork: p(
        `select exists (select 1 from campaign_contacts where campaign_id = ? and state in ('queued', 'dialing')) as work`,
      ),
      settingsOf: p(`select settings from campaigns where id = ?`),
    };
    const claimOne = (claim: Claim): number | undefined => {
      const row = this.s.claimQueue!.get({ now: claim.now, campaign: claim.campaignId, contact: claim.contactId }) as { attempts: number } | undefined;
      if (!row) return undefined;
      this.s.insertAttempt!.run({
        id: claim.attemptId,
        campaign: claim.campaignId,
        contact: claim.contactId,
        attempt: row.attempts,
        phone: claim.phone,
        variant: claim.variant,
        now: claim.now,
        dryRun: claim.dryRun ? 1 : 0,
      });
      this.s.contactAttempted!.run({ now: claim.now, contact: claim.contactId, attempt: claim.attemptId });
      return row.attempts;
    };
    // One transaction for a tick's calls: one commit instead of one per call.
    this.claimTx = sqlite.transaction((claims: Claim[]) => claims.map(claimOne));
    this.settleTx = sqlite.transaction((settle: Settle) => {
      const ended = this.s.endAttempt!.run({ id: settle.attemptId, outcome: settle.outcome, detail: settle.detail, now: settle.now });
      if (ended.changes === 0) return false; // already settled (e.g. reconciled after a restart)
      this.s.requeue!.run({
        state: settle.next.state,
        next: settle.next.state === 'queued' ? settle.next.nextAt : settle.now,
        outcome: settle.outcome,
        now: settle.now,
        campaign: settle.campaignId,
        contact: settle.contactId,
      });
      this.s.contactOutcome!.run({ outcome: settle.outcome, contact: settle.contactId, attempt: settle.attemptId });
      return true;
    });
  }

  liveCampaigns(): LiveCampaign[] {
    const rows = this.s.live!.all() as Array<{
      id: string;
      name: string;
      status: 'scheduled' | 'running';
      agent_prompt: string;
      questions: string;
      disclosure: number | null;
      settings: string;
      start_at: number | null;
      created_at: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      agentPrompt: r.agent_prompt,
      disclosure: r.disclosure !== 0,
      questions: JSON.parse(r.questions) as string[],
      settings: readSettings(r.settings),
      startAt: r.start_at,
      createdAt: r.created_at,
    }));
  }

  queuedZones(campaignId: string): string[] {
    return (this.s.zones!.all({ c: campaignId }) as Array<{ tz: string }>).map((r) => r.tz);
  }

  dueInZone(campaignId: string, zone: string, now: number, limit: number): QueueEntry[] {
    return this.s.due!.all(campaignId, zone, now, limit) as QueueEntry[];
  }

  contact(contactId: string): DialContact | undefined {
    return this.s.contact!.get(contactId) as DialContact | undefined;
  }

  /** Outside the contact's hours: back in the queue until they open. */
  defer(campaignId: string, contactId: string, until: number, now: number): void {
    this.s.defer!.run(until, now, campaignId, contactId);
  }

  /** Lacking the consent the campaign's purpose needs: taken off the queue, counted apart. */
  markNoConsent(campaignId: string, contactId: string, now: number): void {
    this.s.markNoConsent!.run(now, campaignId, contactId);
  }

  markDnc(campaignId: string, contactId: string, now: number): void {
    this.s.markDnc!.run(now, campaignId, contactId);
  }

  /**
   * Records the attempts (and takes the contacts off the queue) before anything is dialed. For each,
   * its attempt number, or undefined if the contact was no longer queued.
   */
  claim(claims: Claim[]): Array<number | undefined> {
    return claims.length === 0 ? [] : this.claimTx(claims);
  }

  answered(attemptId: string, now: number): boolean {
    return this.s.answered!.run(now, attemptId).changes > 0;
  }

  settle(settle: Settle): boolean {
    return this.settleTx(settle);
  }

  openAttempts(): OpenAttempt[] {
    return this.s.open!.all() as OpenAttempt[];
  }

  hasWork(campaignId: string): boolean {
    return (this.s.hasWork!.get(campaignId) as { work: number }).work === 1;
  }

  settingsOf(campaignId: string): CampaignSettings {
    const row = this.s.settingsOf!.get(campaignId) as { settings: string } | undefined;
    return readSettings(row?.settings ?? '{}');
  }
}

export interface Claim {
  attemptId: string;
  campaignId: string;
  contactId: string;
  phone: string;
  variant: string | null;
  now: number;
  /** On a simulated line: the contact's own record (attempts, last outcome) is left alone. */
  dryRun: boolean;
}

export interface Settle {
  attemptId: string;
  campaignId: string;
  contactId: string;
  outcome: AttemptOutcome;
  detail: string | null;
  next: AfterAttempt;
  now: number;
}
