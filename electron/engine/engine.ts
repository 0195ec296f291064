import { ParleyError, roleAtLeast, type Actor, type EngineEvent, type Outcome, type Transport } from '../contracts';
import { AccessService, actorOf, type AccessConfig } from './access/access-service';
import { AuditLog } from './access/audit-log';
import { startCallIntelligence } from './analysis/call-intelligence';
import { connectCallbackSources } from './callbacks/callback-sources';
import { systemClock, type Clock } from './clock';
import { createDialingServices, type DialingConfig } from './dialer/services';
import { createDispatcher, seesCampaign } from './dispatch';
import { EventBus } from './event-bus';
import { createHandlers, type EngineContext } from './handlers';
import { createFileLogger, type Logger } from './logging';
import type { LogFileProblem } from './log-file';
import { ModelManager, type ModelManagerConfig } from './models/manager';
import type { CallLauncher } from './ports/call-launcher';
import type { LanguageModel } from './ports/llm';
import type { OfficeSharing } from './ports/sharing';
import type { AppUpdates } from './ports/updates';
import { openStore } from './storage/database';
import type { BackupOptions } from './storage/backups';
import { readiness, type Readiness } from './readiness';
import { ensureWritableDataDir } from './storage/integrity';
import { DeliveryService, type DeliveryOptions } from './delivery/delivery-service';
import { ProviderService } from './providers/provider-service';
import type { GuardOptions } from './adapters/resilience/provider-guard';
import { BudgetService } from './budgets/budget-service';
import { VoiceTiers } from './voice/voice-tiers';
import { CrmConnectionService } from './delivery/crm-connection';
import { EngineMetrics } from './metrics/engine-metrics';
import { ApiTokens } from './access/api-tokens';
import { CallCosts } from './costs/call-costs';
import { StorageHealth, type StorageHealthOptions } from './storage/storage-health';
import { VoiceService, type VoiceConfig } from './voice/service';
import { createRepositories } from './storage/repositories';
import { SupervisionService, type SupervisionConfig } from './supervision/supervision-service';
import { createLineServices } from './lines/services';
import { InboundCalls } from './voice/inbound-calls';
import { deskPhoneCalls } from './lines/desk-phone-calls';
import { EncryptedFileSecretStore } from './secrets/encrypted-file-store';
import type { SecretStore } from './secrets/secret-store';
import type { LineFactories } from './telephony/line-factories';
import { ReviewService } from './review/review-service';

export interface EngineOptions {
  /** Folder for the database, logs and models. Created if missing. */
  dataDir: string;
  /** Which host runs the engine; shown by `app.info`. */
  host?: 'electron' | 'server' | 'test';
  /**
   * What the engine is for. 'app' / 'server' (default): the desktop app and `parley serve` (with
   * dialer 'timer' they place calls), with the post-call analysis, live emotion and models loaded on
   * demand. 'tool': a one-shot command (`parley campaign list`, `parley import …`): it answers commands
   * and nothing else: no model is loaded, no analysis written, no line connected, nothing dialled.
   */
  role?: 'app' | 'server' | 'tool';
  version?: string;
  clock?: Clock;
  /** Defaults to a JSON log file in `<dataDir>/logs`. */
  logger?: Logger;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Model manager settings: another catalog file, a storage limit, download concurrency. */
  models?: ModelManagerConfig;
  /** Places campaign calls (voice pipeline + telephony). Without one, launching a campaign fails with `unavailable`. */
  callLauncher?: CallLauncher;
  /**
   * 'off' (default: CLI commands, benchmarks) never dials; 'timer' dials on its own (the hosts that run
   * campaigns: parley serve, the desktop app); 'manual' only via context.dialing.dialer.tick() (tests).
   */
  dialer?: DialingConfig['dialer'];
  /** Writes per-contact call context; by default the voice side's language model once it is loaded, else a template. */
  contextModel?: LanguageModel;
  /** Voice engines per role, carrier and call tuning. Unset: simulated carrier, installed models, fallbacks. */
  voice?: VoiceConfig;
  /** Live console: grace period, presence timeout, alert rules. */
  supervision?: SupervisionConfig;
  /**
   * Where line passwords and carrier tokens are kept. The desktop app passes one backed by the OS
   * keychain (safeStorage); by default an encrypted file in the data folder.
   */
  secrets?: SecretStore;
  /** Replaces the carrier factory of some line kinds (tests run a "real" line over a test double). */
  carriers?: Partial<LineFactories>;
  /** Session lifetimes, lockout and sign-in throttling. */
  access?: AccessConfig;
  /** "Share with the office" (the desktop app); without it the sharing commands answer `unavailable`. */
  sharing?: OfficeSharing;
  /** Updating the app itself (the desktop app); without it the update commands say the host cannot. */
  updates?: AppUpdates;
  /**
   * Finalise recordings a crash left open, at start. Default: only hosts that take calls (dialer
   * 'timer'), so a one-shot CLI command never touches the file of a call another process is recording.
   */
  recoverRecordings?: boolean;
  /** When the disk counts as too full to dial on, and how often it is looked at. */
  storage?: StorageHealthOptions;
  /** How many daily/manual database backups to keep (default 7). */
  backups?: BackupOptions;
  /** API providers: how their breakers open and recover (defaults: 3 failures, 30 s cool-down). */
  providers?: { guard?: GuardOptions };
  /** CRM and webhook delivery; by default only hosts that dial (dialer 'timer') deliver, every host queues. */
  delivery?: DeliveryOptions;
}

export interface Engine {
  /**
   * Runs one contract command as the local admin: for in-process callers only (the desktop app's own
   * window, the CLI, tests). Never throws: failures come back as `{ ok: false, error }`.
   */
  invoke(command: string, payload: unknown): Promise<Outcome>;
  /** Runs one command as a session's user; network hosts use only this. */
  invokeAs(actor: Actor, command: string, payload: unknown): Promise<Outcome>;
  /** Whether a session's user may receive an event: live-call events only for the campaigns they may see. */
  visibleTo(actor: Actor, event: EngineEvent): boolean;
  /** The local admin (the desktop app's window, the CLI), acting from `origin`. */
  localActor(origin: string): Actor;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** A transport straight into this engine, for in-process clients (tests, scripts); the local admin unless `actor` says otherwise. */
  transport(actor?: Actor): Transport;
  readonly context: EngineContext;
  /** Check by check, whether this Parley can do its work now (served as `/ready`). */
  readiness(): Promise<Readiness>;
  /** The Prometheus exposition of this engine's metrics (served as `/metrics`). */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** What is failing now, in one word each (`storage`, `log`), for `/health`; empty when all is well. */
  degraded(): string[];
  dispose(): Promise<void>;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  // A read-only or foreign-owned folder is named as such, before anything tries to write logs into it.
  ensureWritableDataDir(options.dataDir);
  // A log that stops reaching the disk is told to every console once (the events exist a moment later).
  let logProblem: (problem: LogFileProblem | null) => void = () => undefined;
  const fileLog = options.logger ? undefined : createFileLogger({ dataDir: options.dataDir, level: options.logLevel ?? 'info', onProblem: (problem) => logProblem(problem) });
  const logger = options.logger ?? fileLog!.logger;
  const store = await openStore(options.dataDir, { backups: options.backups });
  const events = new EventBus((error, event) => logger.error({ err: error, event }, 'an event listener failed'));
  logProblem = (problem) =>
    events.emit('office.alert', {
      id: 'log',
      kind: problem ? 'log-failing' : 'log-restored',
      severity: problem ? 'warning' : 'info',
      message: problem ? `Log lines are not reaching the disk (${problem.code}: ${problem.message}); Parley carries on without them.` : 'Log lines reach the disk again.',
      at: clock.now(),
      campaignId: null,
      providerId: null,
    });
  const models = await ModelManager.create({ dataDir: options.dataDir, store, clock, events, logger }, options.models).catch(async (error) => {
    await store.dispose();
    throw error;
  });
  const repos = createRepositories(store, clock);
  const storage = new StorageHealth({ sqlite: store.sqlite, dataDir: options.dataDir, events, logger, clock }, options.storage);
  const audit = new AuditLog({ sqlite: store.sqlite, clock, logger });
  const access = new AccessService({ sqlite: store.sqlite, clock, logger, audit }, options.access);
  const localAdmin = access.ensureLocalAdmin().user;
  // A local model keeps a conversation slot for each call the office's lines can carry (known once they start).
  let linesKnown: (count: number) => void = () => undefined;
  const lineCount = new Promise<number>((resolve) => (linesKnown = resolve));
  const tool = options.role === 'tool';
  const voice = new VoiceService({ store, clock, events, logger, activeModels: models.active, dataDir: options.dataDir }, { lines: () => lineCount, loadModels: !tool, ...options.voice });
  // Recordings a crash left open are finished before any new call starts.
  if (options.recoverRecordings ?? options.dialer?.mode === 'timer') await voice.recordings?.recover().catch((error: unknown) => logger.error({ err: error }, 'recording recovery failed'));
  const secrets = options.secrets ?? new EncryptedFileSecretStore(options.dataDir);
  const lines = createLineServices({
    store,
    clock,
    events,
    logger,
    secrets,
    playoutClock: voice.runtime.clock,
    simulated: voice.runtime.telephony,
    factories: options.carriers,
    // A one-shot command (dialing off) never registers lines or takes calls: the dialing Parley does.
    connect: (options.dialer?.mode ?? 'off') !== 'off',
  });
  // Listening before any carrier starts, so no early call finds nobody to answer it.
  const inbound = new InboundCalls({ carriers: lines.carriers, campaigns: repos.campaigns, sqlite: store.sqlite, launcher: voice.launcher, logger });
  try {
    await lines.carriers.start(await lines.lines.list());
  } finally {
    // No lines yet (test calls, the softphone): the dialer's cap, or two.
    const capacity = lines.carriers.capacity();
    const cap = options.dialer?.lines;
    linesKnown(capacity === 0 ? (cap ?? 2) : Math.min(cap ?? capacity, capacity));
  }
  const dialing = createDialingServices(
    { store, clock, events, logger, campaigns: repos.campaigns, lines: lines.carriers, isLive: (callId) => voice.launcher.session(callId) !== undefined, storage },
    { callLauncher: options.callLauncher ?? voice.launcher, contextModel: options.contextModel ?? (() => voice.runtime.llm), dialer: options.dialer },
  );
  lines.carriers.onDeskPhoneCall(deskPhoneCalls({ access, dnc: dialing.dnc, audit, logger }));
  // Budgets gate launches in every host; hosts that dial also watch spend and pause at a limit.
  const budgets = new BudgetService({ sqlite: store.sqlite, clock, events, logger, lifecycle: dialing.lifecycle }, { enforce: (options.dialer?.mode ?? 'off') !== 'off' });
  const delivery = new DeliveryService({ sqlite: store.sqlite, clock, logger, events, secrets }, { run: options.dialer?.mode === 'timer', ...options.delivery });
  const context: EngineContext = {
    store,
    models,
    repos,
    voice,
    dialing,
    lines,
    supervision: new SupervisionService({ store, events, clock, logger, voice, dialing: () => context.dialing }, { closeInterruptedWaits: (options.dialer?.mode ?? 'off') !== 'off', ...options.supervision }),
    clock,
    events,
    logger,
    access,
    audit,
    storage,
    budgets,
    providers: new ProviderService({ sqlite: store.sqlite, secrets, clock, events, logger, engines: voice.runtime }, options.providers),
    delivery,
    apiTokens: new ApiTokens({ sqlite: store.sqlite, clock }),
    crm: new CrmConnectionService({ sqlite: store.sqlite, secrets, clock, logger, delivery }, { hubspotBasePath: options.delivery?.hubspotBasePath }),
    review: new ReviewService({ sqlite: store.sqlite, clock, logger, audit, events, dataDir: options.dataDir }),
    sharing: options.sharing,
    updates: options.updates,
    info: {
      name: 'Parley',
      version: options.version ?? '0.0.0',
      host: options.host ?? 'test',
      dataDir: options.dataDir,
      startedAt: new Date(clock.now()).toISOString(),
      tlsFingerprint: null,
    },
  };
  const campaignOfCall = store.sqlite.prepare('select campaign_id from calls where id = ?');
  const dispatch = createDispatcher(createHandlers(context), logger, {
    campaignOfCall: (callId) => (campaignOfCall.get(callId) as { campaign_id: string | null } | undefined)?.campaign_id,
  }, audit, storage);
  const callCampaigns = new Map<string, string | null>();
  const campaignOf = (callId: string): string | null | undefined => {
    if (callCampaigns.has(callId)) return callCampaigns.get(callId);
    const found = (campaignOfCall.get(callId) as { campaign_id: string | null } | undefined)?.campaign_id;
    if (found !== undefined) {
      if (callCampaigns.size > 5_000) callCampaigns.clear();
      callCampaigns.set(callId, found);
    }
    return found;
  };
  const visibleTo = (actor: Actor, event: EngineEvent): boolean => {
    // Webhook URLs and delivery details are the office's integrations: not for every viewer.
    if (event.name.startsWith('webhook.') || event.name.startsWith('sync.')) return roleAtLeast(actor.role, event.name.startsWith('webhook.') ? 'admin' : 'manager');
    if (event.name.startsWith('updates.')) return roleAtLeast(actor.role, 'admin');
    if (!event.name.startsWith('call.') || roleAtLeast(actor.role, 'manager')) return true;
    if (!roleAtLeast(actor.role, 'supervisor')) return false;
    const payload = event.payload as { callId?: string; campaignId?: string | null };
    const campaignId = payload.campaignId !== undefined ? payload.campaignId : payload.callId ? campaignOf(payload.callId) : undefined;
    return seesCampaign(actor, campaignId);
  };
  /** The local admin as at start: used only to answer "shut down" once the store is closed. */
  const localAdminActor = actorOf(localAdmin, 'local');
  const localActor = (origin: string): Actor => actorOf(access.users.byId(localAdmin.id) ?? localAdmin, origin);
  let disposed = false;
  logger.info({ dataDir: options.dataDir, host: context.info.host }, 'engine started');
  // Live emotion per caller turn and an analysis for every ended call (issue 6).
  const intelligence = tool ? undefined : startCallIntelligence(context);
  // Metrics observe every event from the start (one-shot commands need none).
  const metrics = tool ? undefined : new EngineMetrics(context, (listener) => events.subscribe(listener));
  const stopUpdateEvents = options.updates?.onChange((status) => events.emit('updates.changed', status));
  const disconnectCallbacks = connectCallbackSources({ launcher: voice.launcher, events, store, callbacks: context.dialing.callbacks, logger });
  // The office's chosen providers, before the first call asks for an engine.
  if (!tool) await context.providers.start();
  voice.launcher.useCampaignModels((campaignId) => context.providers.campaignModel(campaignId));
  voice.launcher.useCosts(new CallCosts({ sqlite: store.sqlite, clock, logger }));
  voice.launcher.useVoiceTiers(new VoiceTiers({ sqlite: store.sqlite, logger, premiumVoice: (id) => context.providers.voiceEngine(id), budgetAllows: (campaignId) => budgets.allows(campaignId) }));
  await context.dialing.dialer.start();
  context.budgets.start();
  await context.delivery.start();
  await context.crm.start().catch((error: unknown) => logger.error({ err: error }, 'could not connect the CRM'));
  // Hosts that dial watch the disk: a full one stops dialing (and says so) until space returns.
  const offStorage = storage.onChange((state) => {
    if (state.ok) context.dialing.dialer.kick();
  });
  if ((options.dialer?.mode ?? 'off') !== 'off') storage.start();
  // The hosts that run campaigns also run the daily retention purge; one-shot commands never do.
  if (options.dialer?.mode === 'timer') {
    context.review.retention.schedule();
    store.backups.scheduleDaily();
  }

  const invokeAs = async (actor: Actor, command: string, payload: unknown): Promise<Outcome> => {
    if (disposed) return { ok: false, error: { code: 'unavailable', message: 'The engine has shut down' } };
    return dispatch(command, payload, actor);
  };

  return {
    invoke: (command, payload) => (disposed ? invokeAs(localAdminActor, command, payload) : invokeAs(localActor('local'), command, payload)),
    invokeAs,
    visibleTo,
    localActor,
    subscribe: (listener) => events.subscribe(listener),
    transport(actor) {
      const unsubscribes = new Set<() => void>();
      return {
        async invoke(command, payload) {
          const outcome = await invokeAs(actor ?? (disposed ? localAdminActor : localActor('local')), command, payload);
          if (outcome.ok) return outcome.result;
          throw ParleyError.fromShape(outcome.error);
        },
        subscribe(listener) {
          const off = events.subscribe(listener);
          unsubscribes.add(off);
          return off;
        },
        close() {
          for (const off of unsubscribes) off();
        },
      };
    },
    context,
    readiness: () => readiness(context, () => fileLog?.problem() ?? null),
    metrics: () => (metrics ? metrics.scrape() : Promise.reject(new ParleyError('unavailable', 'A one-shot command keeps no metrics'))),
    degraded: () => [...(storage.ok ? [] : ['storage']), ...(fileLog?.problem() ? ['log'] : [])],
    async dispose() {
      if (disposed) return;
      disposed = true;
      events.clear();
      offStorage();
      storage.dispose();
      disconnectCallbacks();
      metrics?.dispose();
      stopUpdateEvents?.();
      context.budgets.dispose();
      await context.providers.dispose();
      await context.delivery.dispose();
      await intelligence?.dispose();
      context.review.dispose();
      inbound.close(); // calls arriving from now on are refused
      await context.supervision.dispose();
      await voice.dispose(); // ends the calls in progress, inbound ones included
      await inbound.dispose();
      await context.dialing.dispose();
      await lines.carriers.dispose();
      await models.dispose();
      await store.dispose();
      logger.info('engine stopped');
      fileLog?.close();
    },
  };
}
