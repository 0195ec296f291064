import { join } from 'node:path';
import {
  MODEL_ROLES,
  ParleyError,
  type Catalog,
  type CatalogListing,
  type CatalogModel,
  type DownloadJob,
  type HardwareInfo,
  type ImportOutcome,
  type InstalledFile,
  type InstalledModel,
  type LoadCheck,
  type ModelRole,
  type ModelSettings,
  type Recommendation,
  type SetupStatus,
} from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Store } from '../storage/database';
import { ActiveModels } from './active';
import { bundledCatalog, downloadBytes, isVerified, loadCatalogFile, parseCatalog } from './catalog';
import { DownloadManager, type DownloadLimits } from './downloads';
import { probeHardware, type GpuProbe, type MachineProbe } from './hardware';
import { importFolder, type ImportProgress } from './importer';
import { ModelLayout } from './layout';
import { recommend } from './recommend';
import { ModelRegistry } from './registry';
import { verifyLoad } from './verify-load';

/** Model manager settings an entry point (CLI flags, app config) passes in. */
export interface ModelManagerConfig {
  /** Use this catalog file instead of the bundled models/catalog.json (an office's own list, a mirror). */
  catalogPath?: string;
  catalog?: Catalog;
  /** Cap on the models folder in bytes; downloads that would pass it are refused. */
  storageLimitBytes?: number | null;
  maxConcurrentDownloads?: number;
  /** Free disk space to keep after a download (default 512 MB). */
  reserveFreeBytes?: number;
  /** Stand-ins for the hardware probes (tests describe other machines with these). */
  probes?: { machine?: MachineProbe; gpu?: GpuProbe };
  download?: Partial<Pick<DownloadLimits, 'progressIntervalMs' | 'retry'>>;
}

interface ManagerDeps {
  dataDir: string;
  store: Store;
  clock: Clock;
  events: EventBus;
  logger: Logger;
}

/**
 * Everything about local models: the catalog, this machine's hardware and the recommendation,
 * downloads, folder imports, the installed registry and the active model per role
 * (`active.current(role)` is what a new call reads).
 */
export class ModelManager {
  readonly active = new ActiveModels();
  private readonly layout: ModelLayout;
  private readonly registry: ModelRegistry;
  private readonly downloads: DownloadManager;
  private hardwareCache: Promise<HardwareInfo> | undefined;
  private verifying: Promise<unknown> = Promise.resolve();
  private removing = new Set<string>();

  private constructor(
    private readonly deps: ManagerDeps,
    private readonly config: ModelManagerConfig,
    private readonly catalogData: Catalog,
  ) {
    this.layout = new ModelLayout(join(deps.dataDir, 'models'));
    this.registry = new ModelRegistry(deps.store.db, this.layout.modelsDir, deps.clock);
    this.downloads = new DownloadManager(
      {
        layout: this.layout,
        logger: deps.logger,
        isInstalled: async (id) => (await this.registry.find(id)) !== undefined,
        mirrors: async () => (await this.registry.settings()).mirrors,
        usedStorageBytes: () => this.layout.sizeOf(this.layout.modelsDir),
        install: (model, staging, files, source) => this.install(model, staging, files, source),
        emit: (job) => deps.events.emit('models.download', job),
      },
      {
        maxConcurrent: config.maxConcurrentDownloads ?? 2,
        storageLimitBytes: config.storageLimitBytes ?? null,
        reserveFreeBytes: config.reserveFreeBytes ?? 512 * 1024 * 1024,
        progressIntervalMs: config.download?.progressIntervalMs ?? 250,
        ...(config.download?.retry ? { retry: config.download.retry } : {}),
      },
    );
  }

  static async create(deps: ManagerDeps, config: ModelManagerConfig = {}): Promise<ModelManager> {
    const catalog = config.catalog
      ? parseCatalog(config.catalog, 'passed to the engine')
      : config.catalogPath
        ? await loadCatalogFile(config.catalogPath)
        : bundledCatalog();
    const manager = new ModelManager(deps, config, catalog);
    await manager.layout.init();
    manager.active.sync(await manager.registry.list());
    return manager;
  }

  get modelsDir(): string {
    return this.layout.modelsDir;
  }

  catalog(): Catalog {
    return this.catalogData;
  }

  async listCatalog(): Promise<CatalogListing[]> {
    const installed = new Set((await this.registry.list()).map((m) => m.id));
    return this.catalogData.models.map((model) => ({
      model,
      downloadBytes: downloadBytes(model),
      verified: isVerified(model),
      installed: installed.has(model.id),
    }));
  }

  hardware(refresh = false): Promise<HardwareInfo> {
    if (refresh || !this.hardwareCache) {
      this.hardwareCache = probeHardware(this.layout.modelsDir, this.config.probes);
      this.hardwareCache.catch(() => (this.hardwareCache = undefined));
    }
    return this.hardwareCache;
  }

  async recommend(options: { concurrentCalls: number; language: string; includeUnverified: boolean }): Promise<Recommendation> {
    const [hardware, installed] = await Promise.all([this.hardware(), this.registry.list()]);
    return recommend(this.catalogData, hardware, { ...options, installed: new Set(installed.map((m) => m.id)) });
  }

  list(): Promise<InstalledModel[]> {
    return this.registry.list();
  }

  download(modelId: string, options: { trustUnverified: boolean; url?: string }): Promise<DownloadJob> {
    return this.downloads.start(this.catalogModel(modelId), options);
  }

  listDownloads(): DownloadJob[] {
    return this.downloads.list();
  }

  waitForDownload(jobId: string): Promise<DownloadJob> {
    return this.downloads.wait(jobId);
  }

  cancelDownload(jobId: string): DownloadJob {
    return this.downloads.cancel(jobId);
  }

  retryDownload(jobId: string): Promise<DownloadJob> {
    return this.downloads.retry(jobId);
  }

  importFolder(folder: string, options: { mode: 'copy' | 'link'; trustUnverified: boolean }): Promise<ImportOutcome> {
    // Progress at most ten times a second per file, and each file's last bytes.
    let last = 0;
    const onProgress = (progress: ImportProgress) => {
      const now = Date.now();
      if (progress.doneBytes < progress.totalBytes && now - last < 100) return;
      last = now;
      this.deps.events.emit('models.importProgress', progress);
    };
    return importFolder(
      {
        layout: this.layout,
        catalog: () => this.catalogData,
        isInstalled: async (id) => (await this.registry.find(id)) !== undefined,
        install: (model, staging, files, source) => this.install(model, staging, files, source),
      },
      folder,
      { ...options, onProgress },
    );
  }

  /** Makes `modelId` the active model of its role. Calls already running keep the model they started with. */
  async use(modelId: string): Promise<InstalledModel> {
    const model = await this.registry.get(modelId);
    await this.registry.setActive(model.role, model.id);
    await this.refresh(model.role);
    this.deps.logger.info({ modelId, role: model.role }, 'active model switched');
    return this.registry.get(modelId);
  }

  /** Deletes an installed model, or the staged files of an unfinished download of it. */
  async remove(modelId: string): Promise<void> {
    const model = await this.registry.find(modelId);
    if (!model) {
      const staged = this.layout.stagingDir(modelId);
      const busy = this.downloads.list().some((j) => j.modelId === modelId && !['completed', 'failed', 'cancelled'].includes(j.state));
      if (busy) throw new ParleyError('conflict', `${modelId} is downloading; cancel the download first`);
      if ((await this.layout.sizeOf(staged)) === 0) throw new ParleyError('not_found', `Model ${modelId} is not installed`);
      await this.layout.discard(staged);
      return;
    }
    const holders = this.active.holders(modelId);
    if (holders > 0) throw new ParleyError('conflict', `${model.name} is in use by ${holders} call${holders > 1 ? 's' : ''}; remove it when they have ended`);
    if (this.removing.has(modelId)) throw new ParleyError('conflict', `${model.name} is already being removed`);
    this.removing.add(modelId);
    try {
      await this.registry.remove(modelId);
      await this.layout.discard(model.dir);
      // Another installed model of the same role takes over, so calls keep working.
      if (model.active) {
        const next = (await this.registry.list()).find((m) => m.role === model.role);
        if (next) await this.registry.setActive(next.role, next.id);
      }
      await this.refresh(model.role);
      this.deps.logger.info({ modelId }, 'model removed');
    } finally {
      this.removing.delete(modelId);
    }
  }

  /** Loads the model with its engine and unloads it; one check at a time. */
  async verifyLoad(modelId: string): Promise<LoadCheck> {
    const model = await this.registry.get(modelId);
    const run = this.verifying.then(() => verifyLoad(model));
    this.verifying = run.catch(() => undefined);
    return run;
  }

  async setupStatus(): Promise<SetupStatus> {
    const [installed, settings] = await Promise.all([this.registry.list(), this.registry.settings()]);
    const activeRoles = new Set(installed.filter((m) => m.active).map((m) => m.role));
    const missingRoles = MODEL_ROLES.filter((role) => !activeRoles.has(role));
    return { needed: missingRoles.length > 0, missingRoles, dismissed: settings.setupDismissed, installedCount: installed.length };
  }

  settings(): Promise<ModelSettings> {
    return this.registry.settings();
  }

  async updateSettings(patch: Partial<ModelSettings>): Promise<ModelSettings> {
    const next = { ...(await this.registry.settings()), ...patch };
    await this.registry.saveSettings(next);
    return next;
  }

  async dispose(): Promise<void> {
    await this.downloads.dispose();
    await this.verifying;
  }

  private catalogModel(modelId: string): CatalogModel {
    const model = this.catalogData.models.find((m) => m.id === modelId);
    if (!model) throw new ParleyError('not_found', `The catalog has no model "${modelId}". See: parley models list --catalog`);
    return model;
  }

  /** Places a verified staging folder, registers it, and makes it active if its role had none. */
  private async install(model: CatalogModel, staging: string, files: InstalledFile[], source: 'download' | 'import'): Promise<void> {
    if (await this.registry.find(model.id)) throw new ParleyError('conflict', `${model.name} is already installed`);
    const dir = await this.layout.place(staging, model.id);
    try {
      await this.registry.add({ model, dirName: model.id, files, source });
    } catch (error) {
      await this.layout.discard(dir);
      throw error;
    }
    const active = await this.registry.activeIds();
    if (!active[model.role]) await this.registry.setActive(model.role, model.id);
    await this.refresh(active[model.role] ? null : model.role);
    this.deps.logger.info({ modelId: model.id, source }, 'model installed');
  }

  private async refresh(role: ModelRole | null): Promise<void> {
    const installed = await this.registry.list();
    this.active.sync(installed);
    this.deps.events.emit('models.changed', { installed, activeRole: role });
  }
}
