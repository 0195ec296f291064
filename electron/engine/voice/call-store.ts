import type { Kysely } from 'kysely';
import { ParleyError } from '../../contracts';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock';
import { ConsentStore } from '../compliance/consent-store';
import { DncRepository } from '../contacts/dnc-repository';
import type { Logger } from '../logging';
import type { Database } from '../storage/schema';
import type { CallVoiceTable } from '../storage/voice-tables';
import type { CallBrief } from './agents/types';
import type { TranscriptTurn, TurnLatency } from './observers';

/** Kind of the `call_events` rows holding one turn's latency split (read by the analytics dashboard too). */
export const TURN_LATENCY_EVENT = 'turn.latency';

export type CallVoiceRow = Omit<CallVoiceTable, 'created_at' | 'updated_at'>;

/**
 * What the voice side writes as a call happens: the call row and its state changes, events,
 * transcript turns, per-turn latency, the engines summary. Writes of one call are chained, so
 * they land in order and a slow one never blocks the audio.
 */
export class CallStore {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Queues a write for the call; failures are logged, never thrown into the call. */
  write(callId: string, what: string, work: () => Promise<unknown>): Promise<void> {
    const previous = this.chains.get(callId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => this.logger.error({ err: error, callId, what }, 'call write failed'));
    this.chains.set(callId, next);
    return next.then(() => undefined);
  }

  /** Waits for every queued write of the call and forgets its chain. */
  async flush(callId: string): Promise<void> {
    await this.chains.get(callId);
    this.chains.delete(callId);
  }

  async callCreated(call: { callId: string; campaignId: string | null; contactId: string | null; dryRun: boolean; lineId: string | null; direction?: 'outbound' | 'inbound' }): Promise<void> {
    const now = this.clock.now();
    await this.db
      .insertInto('calls')
      .values({ id: call.callId, campaign_id: call.campaignId, contact_id: call.contactId, direction: call.direction ?? 'outbound', state: 'dialing', outcome: null, started_at: now, answered_at: null, ended_at: null, created_at: now, dry_run: call.dryRun ? 1 : 0, line_id: call.lineId } as never)
      .onConflict((oc) => oc.column('id').doUpdateSet({ state: 'dialing', started_at: now }))
      .execute();
  }

  async callAnswered(callId: string): Promise<void> {
    await this.db.updateTable('calls').set({ state: 'in-call', answered_at: this.clock.now() }).where('id', '=', callId).execute();
  }

  async callEnded(callId: string, outcome: string): Promise<void> {
    await this.db.updateTable('calls').set({ state: 'ended', outcome, ended_at: this.clock.now() }).where('id', '=', callId).execute();
  }

  /** The abandonment clock of an answered call; `abandoned` null: not a live answer (a machine). */
  async answerTiming(callId: string, timing: { firstAudioMs: number | null; abandoned: boolean | null }): Promise<void> {
    const abandoned = timing.abandoned === null ? null : timing.abandoned ? 1 : 0;
    await this.db.updateTable('calls').set({ first_audio_ms: timing.firstAudioMs, abandoned }).where('id', '=', callId).execute();
  }

  async event(callId: string, kind: string, data: unknown = {}): Promise<void> {
    await this.db.insertInto('call_events').values({ call_id: callId, at: this.clock.now(), kind, data: JSON.stringify(data) }).execute();
  }

  async turn(callId: string, turn: TranscriptTurn): Promise<void> {
    await this.db
      .insertInto('transcript_turns')
      .values({ call_id: callId, seq: turn.seq, speaker: turn.speaker, text: turn.text, started_at: turn.startedAt, ended_at: turn.endedAt, interrupted: turn.interrupted ? 1 : 0, voice_tier: turn.voiceTier ?? null })
      // A caller who went on before the agent answered: their turn is written again, longer, under the same seq.
      .onConflict((oc) => oc.columns(['call_id', 'seq']).doUpdateSet({ text: turn.text, ended_at: turn.endedAt }))
      .execute();
  }

  async latency(callId: string, latency: TurnLatency): Promise<void> {
    await this.event(callId, TURN_LATENCY_EVENT, latency);
  }

  async voiceSummary(row: CallVoiceRow): Promise<void> {
    const now = this.clock.now();
    await this.db
      .insertInto('call_voice')
      .values({ ...row, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('call_id').doUpdateSet({ ...row, updated_at: now }))
      .execute();
  }

  /**
   * Puts the number on the do-not-call list the dialer honours, through the same repository as the
   * console and imports (so the contact also leaves every campaign queue at once).
   */
  async markDoNotCall(phone: string, reason: string, callId: string): Promise<void> {
    try {
      await new DncRepository(this.db, this.clock).add({ phone, reason, source: 'call', callId });
      // Only reached on a real call (a dry run's add is refused above): the caller's own revocation.
      new ConsentStore(this.sqlite, this.clock).revokeByCaller(phone, callId, 'caller');
    } catch (error) {
      // A dry run: the repository refuses; the call keeps a note of what a real call would have done.
      if (!(error instanceof ParleyError && error.code === 'conflict')) throw error;
      await this.event(callId, 'dry-run.skipped', { write: 'do-not-call', detail: error.message });
    }
  }

  async transcript(callId: string): Promise<TranscriptTurn[]> {
    const rows = await this.db.selectFrom('transcript_turns').selectAll().where('call_id', '=', callId).orderBy('seq').execute();
    return rows.map((r) => ({ seq: r.seq, speaker: r.speaker === 'agent' ? 'agent' : 'caller', text: r.text, interrupted: r.interrupted === 1, startedAt: r.started_at, endedAt: r.ended_at ?? r.started_at }));
  }

  /** Latency records of one call, or of every call of a campaign. */
  async latencies(filter: { callId?: string; campaignId?: string }): Promise<TurnLatency[]> {
    let query = this.db.selectFrom('call_events').innerJoin('calls', 'calls.id', 'call_events.call_id').select('call_events.data').where('call_events.kind', '=', TURN_LATENCY_EVENT);
    if (filter.callId) query = query.where('call_events.call_id', '=', filter.callId);
    if (filter.campaignId) query = query.where('calls.campaign_id', '=', filter.campaignId);
    const rows = await query.orderBy('call_events.at', 'desc').limit(5_000).execute();
    const out: TurnLatency[] = [];
    for (const row of rows) {
      try {
        out.push(JSON.parse(row.data) as TurnLatency);
      } catch {
        // a damaged row is skipped, the summary still shows the rest
      }
    }
    return out;
  }

  /** The campaign and contact as the agent needs them, for calls the dialer did not brief. */
  async brief(campaignId: string, contactId: string | null): Promise<CallBrief> {
    const campaign = (await this.db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst()) as Record<string, unknown> | undefined;
    if (!campaign) throw new Error(`No campaign with id ${campaignId}`);
    const settings = parseObject(campaign.settings);
    const contact = contactId ? ((await this.db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst()) as Record<string, unknown> | undefined) : undefined;
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
    return {
      campaignName: String(campaign.name),
      companyName: text(settings.companyName),
      agentName: text(settings.agentName),
      agentPrompt: String(campaign.agent_prompt ?? ''),
      questions: parseArray(campaign.questions),
      openingLine: text(settings.openingLine),
      closing: text(settings.closing),
      voicemailMessage: text(settings.voicemailMessage),
      voicemailAction: settings.voicemailAction === 'hang-up' ? 'hang-up' : 'leave-message',
      language: text(settings.language),
      voice: text(settings.voice),
      disclosure: campaign.disclosure === undefined ? true : campaign.disclosure !== 0,
      contact: contact ? { name: text(contact.name), company: text(contact.company) ?? undefined, custom: parseObject(contact.custom) } : {},
    };
  }
}

function parseObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function parseArray(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((q): q is string => typeof q === 'string') : [];
  } catch {
    return [];
  }
}
