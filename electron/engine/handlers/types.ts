import type { DeliveryService } from '../delivery/delivery-service';
import type { ProviderService } from '../providers/provider-service';
import type { BudgetService } from '../budgets/budget-service';
import type { CrmConnectionService } from '../delivery/crm-connection';
import type { ApiTokens } from '../access/api-tokens';
import type { Actor, CommandName, CommandOutput, CommandRequest } from '../../contracts';
import type { AccessService } from '../access/access-service';
import type { AuditLog } from '../access/audit-log';
import type { OfficeSharing } from '../ports/sharing';
import type { AppUpdates } from '../ports/updates';
import type { Clock } from '../clock';
import type { DialingServices } from '../dialer/services';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { ModelManager } from '../models/manager';
import type { StorageHealth } from '../storage/storage-health';
import type { Store } from '../storage/database';
import type { Repositories } from '../storage/repositories';
import type { SupervisionService } from '../supervision/supervision-service';
import type { VoiceService } from '../voice/service';
import type { LineServices } from '../lines/services';
import type { ReviewService } from '../review/review-service';

/** `actor` is the session's user (dispatch has already checked the command's role for them). */
export type Handler<K extends CommandName> = (request: CommandRequest<K>, actor: Actor) => Promise<CommandOutput<K>>;

/** The engine's whole API: one handler per contract command, checked by the compiler. */
export type CommandHandlers = { [K in CommandName]: Handler<K> };

/** What handlers may use. Built once by createEngine. */
export interface EngineContext {
  store: Store;
  repos: Repositories;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  /** Installed models; `models.active.current(role)` is the model a new call uses. */
  models: ModelManager;
  /** Contacts, do-not-call, segments, campaign lifecycle and the dialer. */
  dialing: DialingServices;
  /** Voice engines, the call launcher, call records. */
  voice: VoiceService;
  /** Lines (stored), their carriers, the secret store. */
  lines: LineServices;
  /** The live console: board, control of calls, audio streams, softphone. */
  supervision: SupervisionService;
  /** Accounts and sessions. */
  access: AccessService;
  /** "Share with the office", where the host offers it. */
  sharing: OfficeSharing | undefined;
  /** The app updating itself, where the host can (the desktop app). */
  updates: AppUpdates | undefined;
  /** Past calls: the calls list, call pages, recordings, retention and erasure. */
  review: ReviewService;
  /** Whether the database takes writes (a full disk stops dialing until space returns). */
  storage: StorageHealth;
  /** API providers (OpenAI-compatible, Anthropic, ElevenLabs) and the office's choice per role. */
  providers: ProviderService;
  /** Spending limits per day and month, for the office and each campaign. */
  budgets: BudgetService;
  /** Tokens other systems use on the REST API. */
  apiTokens: ApiTokens;
  /** The office's CRM (HubSpot), delivering the `crm` rows of the outbox. */
  crm: CrmConnectionService;
  /** The outbox's way out: CRM and webhook delivery, subscriptions, the Sync screen's view. */
  delivery: DeliveryService;
  /** The append-only audit log; `audit.record(actor, action, target, detail)`. */
  audit: AuditLog;
  /** `tlsFingerprint` is set by a host that serves TLS. */
  info: { name: string; version: string; host: 'electron' | 'server' | 'test'; dataDir: string; startedAt: string; tlsFingerprint: string | null };
}
