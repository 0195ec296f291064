import { create } from 'zustand';
import type {
  CatalogListing,
  DownloadJob,
  ImportOutcome,
  InstalledModel,
  LoadCheck,
  ParleyClient,
  Recommendation,
  SetupStatus,
} from '../../../../electron/contracts';

interface ModelsState {
  loaded: boolean;
  error: string | undefined;
  catalog: CatalogListing[];
  installed: InstalledModel[];
  downloads: Record<string, DownloadJob>;
  recommendation: Recommendation | undefined;
  recommending: boolean;
  setup: SetupStatus | undefined;
  lastImport: ImportOutcome | undefined;
  checks: Record<string, LoadCheck | 'running'>;
  load(client: ParleyClient): Promise<void>;
  recommend(client: ParleyClient, concurrentCalls: number, language: string): Promise<void>;
  download(client: ParleyClient, modelId: string, trustUnverified?: boolean): Promise<void>;
  downloadRecommended(client: ParleyClient): Promise<void>;
  cancel(client: ParleyClient, jobId: string): Promise<void>;
  retry(client: ParleyClient, jobId: string): Promise<void>;
  importFolder(client: ParleyClient, folder: string, link: boolean, trustUnverified: boolean): Promise<void>;
  use(client: ParleyClient, modelId: string): Promise<void>;
  remove(client: ParleyClient, modelId: string): Promise<void>;
  verify(client: ParleyClient, modelId: string): Promise<void>;
  dismissSetup(client: ParleyClient): Promise<void>;
  /** Engine events: every open console follows downloads and switches. */
  onDownload(job: DownloadJob): void;
  onChanged(installed: InstalledModel[], client: ParleyClient): void;
}

/** The model manager's state in the console. Errors land in `error` so the screen can show them. */
export const useModels = create<ModelsState>((set, get) => {
  const attempt = async (work: () => Promise<void>) => {
    try {
      set({ error: undefined });
      await work();
    } catch (error) {
      set({ error: (error as Error).message });
    }
  };
  const refreshLists = async (client: ParleyClient) => {
    const [catalog, installed, setup] = await Promise.all([
      client.call('models.catalog', {}),
      client.call('models.list', {}),
      client.call('models.setupStatus', {}),
    ]);
    set({ catalog, installed, setup });
  };
  return {
    loaded: false,
    error: undefined,
    catalog: [],
    installed: [],
    downloads: {},
    recommendation: undefined,
    recommending: false,
    setup: undefined,
    lastImport: undefined,
    checks: {},
    load: (client) =>
      attempt(async () => {
        await refreshLists(client);
        const jobs = await client.call('models.downloads', {});
        set({ downloads: Object.fromEntries(jobs.map((j) => [j.id, j])), loaded: true });
      }),
    recommend: (client, concurrentCalls, language) =>
      attempt(async () => {
        set({ recommending: true });
        try {
          set({ recommendation: await client.call('models.recommend', { concurrentCalls, language }) });
        } finally {
          set({ recommending: false });
        }
      }),
    download: (client, modelId, trustUnverified = false) =>
      attempt(async () => {
        get().onDownload(await client.call('models.download', { modelId, trustUnverified }));
      }),
    downloadRecommended: (client) =>
      attempt(async () => {
        const picks = get().recommendation?.picks.filter((p) => !p.installed) ?? [];
        for (const pick of picks) get().onDownload(await client.call('models.download', { modelId: pick.modelId }));
      }),
    cancel: (client, jobId) => attempt(async () => get().onDownload(await client.call('models.cancel', { jobId }))),
    retry: (client, jobId) => attempt(async () => get().onDownload(await client.call('models.retry', { jobId }))),
    importFolder: (client, folder, link, trustUnverified) =>
      attempt(async () => {
        set({ lastImport: undefined });
        const outcome = await client.call('models.import', { folder, mode: link ? 'link' : 'copy', trustUnverified });
        set({ lastImport: outcome });
        await refreshLists(client);
      }),
    use: (client, modelId) =>
      attempt(async () => {
        await client.call('models.use', { modelId });
        await refreshLists(client);
      }),
    remove: (client, modelId) =>
      attempt(async () => {
        await client.call('models.remove', { modelId });
        await refreshLists(client);
      }),
    verify: (client, modelId) =>
      attempt(async () => {
        set({ checks: { ...get().checks, [modelId]: 'running' } });
        const check = await client.call('models.verifyLoad', { modelId });
        set({ checks: { ...get().checks, [modelId]: check } });
      }),
    dismissSetup: (client) =>
      attempt(async () => {
        await client.call('models.setSettings', { setupDismissed: true });
        set({ setup: await client.call('models.setupStatus', {}) });
      }),
    onDownload: (job) => set({ downloads: { ...get().downloads, [job.id]: job } }),
    onChanged: (installed, client) => {
      set({ installed });
      void attempt(() => refreshLists(client));
    },
  };
});

export { formatBytes } from '../../../../electron/contracts/format';

export function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  const s = Math.ceil(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}
