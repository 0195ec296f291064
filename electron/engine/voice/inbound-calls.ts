import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Campaign } from '../../contracts';
import { normalisePhone } from '../contacts/phone';
import { buildBrief, templateContext, type BriefContact } from '../dialer/agent-brief';
import type { DialContact } from '../dialer/dialer-store';
import type { LineCarriers, ReadyLine } from '../lines/line-carriers';
import type { Logger } from '../logging';
import type { IncomingCall } from '../ports/telephony';
import type { CampaignsRepository } from '../storage/campaigns-repository';
import { briefFromDialer, type VoiceCallLauncher } from './call-launcher';

/** A contact calling in: the dialer's view of a contact, without its queue state. */
type KnownCaller = Omit<DialContact, 'on_dnc' | 'busy'>;

/**
 * Calls that arrive on any line, whatever its carrier: answered by the line's inbound campaign,
 * with the caller looked up among contacts (their context goes into the agent's brief), within the
 * line's limit, through the same launcher path as dialled calls (live board, store, analysis).
 * No inbound campaign: refused as unavailable; the line full: refused as busy.
 */
export class InboundCalls {
  private readonly running = new Set<Promise<unknown>>();
  private readonly byPhone: BetterSqlite3.Statement;
  private closed = false;

  constructor(
    private readonly deps: {
      carriers: LineCarriers;
      campaigns: CampaignsRepository;
      sqlite: BetterSqlite3.Database;
      launcher: VoiceCallLauncher;
      logger: Logger;
      /** Region for caller numbers that come without a country code. */
      defaultRegion?: string;
    },
  ) {
    this.byPhone = deps.sqlite.prepare(
      `select id, name, phone_e164, company, email, timezone, custom, tags, attempt_count, last_outcome, last_attempt_at
       from contacts where phone_e164 = ? order by created_at limit 1`,
    );
    deps.carriers.onIncoming((line, call) => {
      const work = this.route(line, call).catch((error: unknown) => {
        deps.logger.error({ err: error, lineId: line.id }, 'an incoming call could not be handled');
        return call.reject('unavailable', 'Parley could not take the call').catch(() => undefined);
      });
      this.running.add(work);
      void work.finally(() => this.running.delete(work));
    });
  }

  private async route(line: ReadyLine, call: IncomingCall): Promise<void> {
    const { logger } = this.deps;
    if (this.closed) return call.reject('unavailable', 'Parley is shutting down');
    const campaign = line.inboundCampaignId ? await this.deps.campaigns.get(line.inboundCampaignId).catch(() => undefined) : undefined;
    if (!campaign || campaign.direction !== 'inbound') {
      logger.warn({ lineId: line.id }, 'incoming call refused: the line has no inbound campaign');
      return call.reject('unavailable', `Line "${line.name}" has no inbound campaign`);
    }
    const release = this.deps.carriers.hold(line.id);
    if (!release) {
      logger.info({ lineId: line.id, maxCalls: line.maxCalls }, 'incoming call refused: every call of the line is in use');
      return call.reject('busy', `Line "${line.name}" is at its limit of ${line.maxCalls} calls`);
    }
    try {
      const parsed = normalisePhone(call.from, this.deps.defaultRegion ?? 'US');
      const phone = parsed.ok ? parsed.e164 : call.from;
      const known = parsed.ok ? (this.byPhone.get(phone) as KnownCaller | undefined) : undefined;
      const callId = randomUUID();
      logger.info({ callId, lineId: line.id, campaignId: campaign.id, known: Boolean(known) }, 'incoming call answered by its inbound campaign');
      await this.deps.launcher.answer(
        { callId, campaignId: campaign.id, contactId: known?.id ?? '', phoneE164: phone, attempt: 1, line: { id: line.id, telephony: line.telephony, dryRun: line.dryRun } },
        call,
        briefFromDialer(briefFor(campaign, known, phone)),
      );
    } finally {
      release();
    }
  }

  /** Refuses calls from now on (engine shutdown begins). */
  close(): void {
    this.closed = true;
  }

  async dispose(): Promise<void> {
    this.close();
    await Promise.allSettled([...this.running]);
  }
}

function briefFor(campaign: Campaign, known: KnownCaller | undefined, phone: string) {
  const contact: BriefContact = known
    ? { name: known.name, company: known.company, email: known.email, timezone: known.timezone, tags: parseList(known.tags), custom: parseRecord(known.custom) }
    : { name: '', company: null, email: null, timezone: null, tags: [], custom: {} };
  const context = known
    ? templateContext(campaign, contact, { attempts: known.attempt_count, lastOutcome: known.last_outcome, lastAttemptAt: known.last_attempt_at }, 'inbound')
    : `The caller (${phone}) is not among the contacts; ask who they are if it matters.`;
  // The caller rang us: without an opening line of the campaign's own, the agent greets them as such.
  // Callers hear the company's name, never the campaign's internal one.
  const openingLine = campaign.openingLine.trim() || (campaign.companyName.trim() ? 'Hello {{firstName}}, thank you for calling {{companyName}}.' : 'Hello {{firstName}}, thank you for calling.');
  return buildBrief({ campaign: { name: campaign.name, agentPrompt: campaign.agentPrompt, questions: campaign.questions, disclosure: campaign.disclosure, settings: { ...campaign, openingLine } }, contact, variant: null, contactContext: context });
}

function parseList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function parseRecord(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}
