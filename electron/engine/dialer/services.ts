import { ParleyError, type DncEntry, type DncSource } from '../../contracts';
import type { Clock } from '../clock';
import { ConsentStore } from '../compliance/consent-store';
import { ContactsRepository } from '../contacts/contacts-repository';
import { DncRepository } from '../contacts/dnc-repository';
import { ImportSessions } from '../contacts/import-sessions';
import { normalisePhone } from '../contacts/phone';
import { SegmentsRepository } from '../contacts/segments-repository';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { CallLauncher } from '../ports/call-launcher';
import type { LanguageModel } from '../ports/llm';
import type { CampaignsRepository } from '../storage/campaigns-repository';
import type { Store } from '../storage/database';
import { AbandonmentGuard } from '../abandonment/abandonment-guard';
import { AbandonmentRates } from '../abandonment/abandonment-rates';
import { CampaignLifecycle } from './campaign-lifecycle';
import { ContactContexts } from './contact-context';
import { Dialer, type DialerLines, type DialerOptions, type DialerStorage } from './dialer';
import { CallbackService } from '../callbacks/callback-service';
import { CallbackDialing } from '../callbacks/callback-dialing';

export interface DialingConfig {
  /** Places campaign calls. Without one, launching a campaign fails with `unavailable`. */
  callLauncher?: CallLauncher | undefined;
  /** Writes per-contact call context (a getter: the model may load later); without one the template is used. */
  contextModel?: LanguageModel | (() => LanguageModel | undefined) | undefined;
  dialer?: Partial<DialerOptions> | undefined;
}

/** Contacts, do-not-call, segments, campaign lifecycle and the dialer, built once per engine. */
export interface DialingServices {
  contacts: ContactsRepository;
  dnc: DncRepository;
  segments: SegmentsRepository;
  imports: ImportSessions;
  lifecycle: CampaignLifecycle;
  contexts: ContactContexts;
  dialer: Dialer;
  /** Abandoned-call rates per campaign (rolling 30 days). */
  abandonment: AbandonmentRates;
  /** The one persisted callbacks queue. */
  callbacks: CallbackService;
  /** Puts a number on the do-not-call list from a phone number, a contact or a call in progress. */
  /** `by`: who asks (a user's name); without it, the caller of `callId`. */
  markDoNotCall(request: { phone?: string; contactId?: string; callId?: string; reason: string; source: DncSource; defaultRegion?: string; by?: string }): Promise<DncEntry>;
  dispose(): Promise<void>;
}

export function createDialingServices(
  deps: { store: Store; clock: Clock; events: EventBus; logger: Logger; campaigns: CampaignsRepository; lines: DialerLines; isLive?: (callId: string) => boolean; storage?: DialerStorage },
  config: DialingConfig,
): DialingServices {
  const { store, clock, events, logger } = deps;
  const contacts = new ContactsRepository(store.db, clock);
  const dnc = new DncRepository(store.db, clock);
  const segments = new SegmentsRepository(store.db, clock);
  const imports = new ImportSessions({ sqlite: store.sqlite, clock, events, logger });
  const lifecycle = new CampaignLifecycle({ store, clock, events, logger, campaigns: deps.campaigns, segments });
  const contexts = new ContactContexts(store.sqlite, { clock, logger, model: config.contextModel });
  const abandonment = new AbandonmentRates(store.sqlite, clock);
  const callbacks = new CallbackService({ store, clock, events, logger });
  const dialer = new Dialer({
    store,
    clock,
    events,
    logger,
    lifecycle,
    contexts,
    launcher: config.callLauncher,
    lines: deps.lines,
    abandonment: new AbandonmentGuard({ rates: abandonment, lifecycle, logger }),
    callbacks: new CallbackDialing(store.sqlite, callbacks.repository, events),
    isLive: deps.isLive,
    storage: deps.storage,
    options: { mode: config.dialer?.mode ?? 'off', tickMs: config.dialer?.tickMs, lines: config.dialer?.lines },
  });

  const phoneFor = async (request: { phone?: string; contactId?: string; callId?: string; defaultRegion?: string }): Promise<{ phone: string; callId: string | null }> => {
    if (request.phone) {
      const parsed = normalisePhone(request.phone, request.defaultRegion ?? 'US');
      if (!parsed.ok) throw new ParleyError('invalid_payload', parsed.reason, [{ path: 'phone', message: parsed.reason }]);
      return { phone: parsed.e164, callId: request.callId ?? null };
    }
    if (request.contactId) return { phone: (await contacts.get(request.contactId)).phone, callId: request.callId ?? null };
    if (request.callId) {
      const row = await store.db.selectFrom('dial_attempts').select('phone_e164').where('id', '=', request.callId).executeTakeFirst();
      if (!row) throw new ParleyError('not_found', `No call ${request.callId}`);
      return { phone: row.phone_e164, callId: request.callId };
    }
    throw new ParleyError('invalid_payload', 'Give a phone number, a contact or a call');
  };

  return {
    contacts,
    dnc,
    callbacks,
    segments,
    imports,
    lifecycle,
    contexts,
    dialer,
    abandonment,
    async markDoNotCall(request) {
      const { phone, callId } = await phoneFor(request);
      const entry = await dnc.add({ phone, reason: request.reason, source: request.source, callId, by: request.by });
      // Marked during a call: the person on the line asked not to be called again.
      if (callId && request.source === 'supervisor') new ConsentStore(store.sqlite, clock).revokeByCaller(phone, callId, 'caller (marked by a supervisor)');
      logger.info({ source: request.source, callId }, 'number added to the do-not-call list');
      events.emit('dnc.changed', { phone, onList: true });
      events.emit('contacts.changed', { reason: 'dnc', count: 1 });
      return entry;
    },
    async dispose() {
      imports.dispose();
      await dialer.dispose();
      callbacks.dispose();
      await contexts.dispose();
    },
  };
}
