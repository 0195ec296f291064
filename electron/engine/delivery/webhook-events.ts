import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { EngineEvent, WebhookEvent } from '../../contracts';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import type { WebhookBody } from './webhook-target';
import type { WebhookSubscriptions } from './webhook-subscriptions';

/** What one engine event becomes for subscribers, or nothing. */
interface Translated {
  event: WebhookEvent;
  data: Record<string, unknown>;
  /** The call it is about, to leave dry runs out and to find its contact. */
  callId?: string;
  campaignId?: string | null;
  contactId?: string | null;
  /** Ordering when no contact, call or campaign says: events about one number stay in order. */
  orderKey?: string;
}

function translate(event: EngineEvent): Translated | undefined {
  switch (event.name) {
    case 'call.started': {
      const p = event.payload;
      return { event: 'call.started', callId: p.callId, campaignId: p.campaignId, contactId: p.contactId, data: { callId: p.callId, campaignId: p.campaignId, contactId: p.contactId, agent: p.agent } };
    }
    case 'call.answered':
      return { event: 'call.answered', callId: event.payload.callId, data: { callId: event.payload.callId, answeredBy: event.payload.by } };
    case 'call.ended': {
      const p = event.payload;
      return { event: p.outcome === 'completed' ? 'call.completed' : 'call.failed', callId: p.callId, campaignId: p.campaignId, data: { callId: p.callId, campaignId: p.campaignId, outcome: p.outcome, detail: p.detail, durationMs: p.durationMs } };
    }
    case 'call.analyzed':
      return { event: 'call.analysed', callId: event.payload.callId, campaignId: event.payload.campaignId, contactId: event.payload.contactId, data: { ...event.payload } };
    case 'call.person-taken':
      return { event: 'call.transferred', callId: event.payload.callId, data: { callId: event.payload.callId, to: event.payload.by, via: event.payload.via } };
    case 'campaign.transition':
      return { event: 'campaign.status_changed', campaignId: event.payload.campaignId, data: { campaignId: event.payload.campaignId, ...event.payload.transition } };
    case 'dnc.changed':
      return event.payload.onList ? { event: 'contact.do_not_call', orderKey: `phone:${event.payload.phone}`, data: { phone: event.payload.phone } } : undefined;
    case 'callback.booked': {
      const callback = event.payload;
      return { event: 'callback.booked', callId: callback.originCallId ?? undefined, campaignId: callback.campaignId, contactId: callback.contactId, data: { ...callback } };
    }
    default:
      return undefined;
  }
}

/**
 * Watches engine events and queues one outbox row per subscription that wants it. Rehearsals never
 * reach a subscriber: events of a dry-run call, or of a campaign on a simulated line, are left out.
 * Rows of one contact (else one call, else one campaign) are delivered in order.
 */
export class WebhookEvents {
  private readonly callFacts: BetterSqlite3.Statement;
  private readonly campaignDry: BetterSqlite3.Statement;
  private readonly insert: BetterSqlite3.Statement;
  private readonly off: () => void;

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock; logger: Logger; subscriptions: WebhookSubscriptions; subscribe: (listener: (event: EngineEvent) => void) => () => void; queued: () => void },
  ) {
    this.callFacts = deps.sqlite.prepare('select campaign_id, contact_id, dry_run from calls where id = ?');
    this.campaignDry = deps.sqlite.prepare(`select l.kind = 'simulated' as dry from campaigns c join lines l on l.id = json_extract(c.settings, '$.lineId') where c.id = ?`);
    this.insert = deps.sqlite.prepare(
      `insert into outbox (id, kind, payload, idempotency_key, next_attempt_at, created_at, target, order_key) values (@id, @kind, @payload, @key, @now, @now, @target, @orderKey)`,
    );
    this.off = deps.subscribe((event) => this.onEvent(event));
  }

  dispose(): void {
    this.off();
  }

  private onEvent(event: EngineEvent): void {
    const translated = translate(event);
    if (!translated) return;
    const subscribers = this.deps.subscriptions.subscribedTo(translated.event);
    if (subscribers.length === 0) return;
    let { campaignId, contactId } = translated;
    if (translated.callId) {
      const call = this.callFacts.get(translated.callId) as { campaign_id: string | null; contact_id: string | null; dry_run: number } | undefined;
      if (!call || call.dry_run === 1) return; // a rehearsal, or no call on record: nothing to tell
      campaignId ??= call.campaign_id;
      contactId ??= call.contact_id;
    } else if (campaignId && (this.campaignDry.get(campaignId) as { dry: number } | undefined)?.dry === 1) return;
    const now = this.deps.clock.now();
    const body: WebhookBody = { type: translated.event, timestamp: new Date(now).toISOString(), data: { ...translated.data, campaignId: campaignId ?? null, contactId: contactId ?? null } };
    const payload = JSON.stringify(body);
    const orderKey = contactId ?? (translated.callId ? `call:${translated.callId}` : (translated.orderKey ?? (campaignId ? `campaign:${campaignId}` : 'office')));
    try {
      this.deps.sqlite.transaction(() => {
        for (const webhook of subscribers) {
          const id = randomUUID();
          this.insert.run({ id, kind: translated.event, payload, key: `msg_${id}`, now, target: `webhook:${webhook.id}`, orderKey });
        }
      })();
      this.deps.queued();
    } catch (error) {
      this.deps.logger.error({ err: error, event: translated.event }, 'could not queue a webhook event');
    }
  }
}
