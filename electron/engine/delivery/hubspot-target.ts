import { CallAnalysis, type CrmTestResult, type HubSpotSettings } from '../../contracts';
import { retryAfterMs } from '../adapters/http/retry-after';
import type { OutboxMessage } from '../analysis/outbox';
import type { Clock } from '../clock';
import type { CallFacts } from './call-facts';
import { resultForNetworkError, resultForStatus, type DeliveryResult, type DeliveryTarget } from './target';

type HubSpotClient = import('@hubspot/api-client').Client;

/** HubSpot's default association types (v4 "HUBSPOT_DEFINED"): call → contact, note → contact. */
const CALL_TO_CONTACT = 194;
const NOTE_TO_CONTACT = 202;

/**
 * The idempotency key as one search token: HubSpot's CONTAINS_TOKEN matches whole words, so the key's
 * letters and digits only. It ends the call's body ("Parley reference: …"), so a repeat delivery
 * finds the call it created before instead of logging the call twice.
 */
export function referenceToken(idempotencyKey: string): string {
  return `parley${idempotencyKey.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

const OUTCOME_STATUS: Record<string, string> = { completed: 'COMPLETED', 'no-answer': 'NO_ANSWER', busy: 'BUSY', voicemail: 'COMPLETED', failed: 'FAILED' };

export interface HubSpotTargetOptions {
  token: string;
  settings: HubSpotSettings;
  facts: (callId: string) => CallFacts | undefined;
  clock: Clock;
  /** Tests point the client at a local server. */
  basePath?: string;
}

/**
 * Call summaries to HubSpot through the official client: find the contact by phone (then email),
 * create it when missing, log a Call engagement associated with it (title, body with the summary and
 * the answers, duration, direction, status, recording link), and a note with the answers when the
 * office asks for one. The private app's token never appears in a result.
 */
export class HubSpotTarget implements DeliveryTarget {
  readonly name = 'crm';
  /** HubSpot allows private apps about 10 requests a second; a delivery makes three or four. */
  readonly concurrency = 2;
  private client: Promise<HubSpotClient> | undefined;

  constructor(private readonly options: HubSpotTargetOptions) {}

  async deliver(message: OutboxMessage, signal: AbortSignal): Promise<DeliveryResult> {
    const parsed = CallAnalysis.safeParse(message.payload);
    if (!parsed.success) return { ok: false, kind: 'reject', error: `Not a call summary: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    const analysis = parsed.data;
    const facts = this.options.facts(analysis.callId);
    if (!facts) return { ok: false, kind: 'reject', error: `Call ${analysis.callId} is no longer on record (erased?)` };
    try {
      const client = await this.api();
      const token = referenceToken(message.idempotencyKey);
      const existing = await abortable(client.crm.objects.calls.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'hs_call_body', operator: 'CONTAINS_TOKEN' as never, value: token }] }], properties: ['hs_call_title'], limit: 1, after: '0', sorts: [] }), signal);
      if (existing.results[0]) return { ok: true, status: 200, remoteId: existing.results[0].id };
      const contactId = await this.contact(client, facts, signal);
      const lines = [analysis.summary, ...analysis.answers.map((a) => `${a.question} ${a.answer ?? '(no answer)'}`), `Outcome: ${analysis.outcome}. Next: ${analysis.nextAction.kind}.`, `Parley reference: ${token}`];
      const recording = facts.recorded && this.options.settings.recordingBaseUrl ? `${this.options.settings.recordingBaseUrl.replace(/\/+$/, '')}/recordings/${facts.callId}` : null;
      const call = await abortable(
        client.crm.objects.calls.basicApi.create({
          properties: {
            hs_timestamp: new Date(facts.startedAt).toISOString(),
            hs_call_title: `${facts.campaignName ?? 'Parley'} call${facts.contactName ? ` with ${facts.contactName}` : ''}`,
            hs_call_body: lines.join('\n'),
            hs_call_duration: String(facts.durationMs),
            hs_call_direction: facts.direction === 'inbound' ? 'INBOUND' : 'OUTBOUND',
            hs_call_status: OUTCOME_STATUS[facts.dialOutcome ?? ''] ?? 'COMPLETED',
            ...(facts.phone ? { [facts.direction === 'inbound' ? 'hs_call_from_number' : 'hs_call_to_number']: facts.phone } : {}),
            ...(recording ? { hs_call_recording_url: recording } : {}),
            ...(this.options.settings.ownerId ? { hubspot_owner_id: this.options.settings.ownerId } : {}),
          },
          associations: contactId ? [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: CALL_TO_CONTACT }] }] : [],
        }),
        signal,
      );
      if (contactId && this.options.settings.answersAsNote && analysis.answers.length > 0) {
        await abortable(
          client.crm.objects.notes.basicApi.create({
            properties: { hs_timestamp: new Date(facts.startedAt).toISOString(), hs_note_body: ['Answers from the call:', ...analysis.answers.map((a) => `${a.question} ${a.answer ?? '(no answer)'}`)].join('\n') },
            associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: NOTE_TO_CONTACT }] }],
          }),
          signal,
        );
      }
      return { ok: true, status: 201, remoteId: call.id };
    } catch (error) {
      return this.failure(error, signal);
    }
  }

  /** A cheap authenticated read: one contact. */
  async test(): Promise<CrmTestResult> {
    const started = performance.now();
    try {
      const client = await this.api();
      await abortable(client.crm.contacts.basicApi.getPage(1), AbortSignal.timeout(10_000));
      const latencyMs = Math.round(performance.now() - started);
      return { ok: true, latencyMs, message: `HubSpot accepted the token and answered in ${latencyMs} ms` };
    } catch (error) {
      const result = this.failure(error, AbortSignal.timeout(1));
      return { ok: false, latencyMs: null, message: result.ok ? 'unexpected' : result.error };
    }
  }

  private async contact(client: HubSpotClient, facts: CallFacts, signal: AbortSignal): Promise<string | null> {
    for (const [property, value] of [['phone', facts.phone], ['email', facts.email]] as const) {
      if (!value) continue;
      const found = await abortable(client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: property, operator: 'EQ' as never, value }] }], properties: ['phone', 'email'], limit: 1, after: '0', sorts: [] }), signal);
      if (found.results[0]) return found.results[0].id;
    }
    if (!this.options.settings.createContacts || (!facts.phone && !facts.email)) return null;
    const [firstname, ...rest] = (facts.contactName ?? '').trim().split(/\s+/);
    // The office's mapping of Parley's custom fields to HubSpot contact properties.
    const mapped = Object.fromEntries(
      Object.entries(this.options.settings.contactFields)
        .map(([field, property]) => [property, facts.contactCustom[field]] as const)
        .filter((pair): pair is readonly [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof pair[1]))
        .map(([property, value]) => [property, String(value)]),
    );
    const created = await abortable(
      client.crm.contacts.basicApi.create({
        properties: { ...mapped, ...(firstname ? { firstname } : {}), ...(rest.length ? { lastname: rest.join(' ') } : {}), ...(facts.phone ? { phone: facts.phone } : {}), ...(facts.email ? { email: facts.email } : {}) },
        associations: [],
      }),
      signal,
    );
    return created.id;
  }

  private api(): Promise<HubSpotClient> {
    // The client is large: loaded when the office first delivers, not by every `parley` command.
    this.client ??= import('@hubspot/api-client').then(({ Client }) => new Client({ accessToken: this.options.token, ...(this.options.basePath ? { basePath: this.options.basePath } : {}) }));
    return this.client;
  }

  private failure(error: unknown, signal: AbortSignal): DeliveryResult {
    const api = error as { code?: unknown; body?: unknown; headers?: Record<string, string> };
    if (typeof api.code === 'number' && api.code >= 100) {
      const body = typeof api.body === 'string' ? api.body : JSON.stringify(api.body ?? '');
      const result = resultForStatus(api.code, this.scrub(body), api.headers?.['retry-after'] ?? null, this.options.clock.now());
      if (!result.ok && result.kind === 'throttled') result.retryAfterMs = retryAfterMs(api.headers?.['retry-after'], this.options.clock.now()) ?? 10_000;
      return result;
    }
    const result = resultForNetworkError(error, signal);
    return result.ok ? result : { ...result, error: this.scrub(result.error) };
  }

  private scrub(text: string): string {
    return text.split(this.options.token).join('[token]');
  }
}

/** Races a client promise with the delivery's deadline (the client itself takes no signal). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
