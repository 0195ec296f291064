import { z } from 'zod';
import {
  CatalogListing,
  DownloadJob,
  HardwareInfo,
  HttpUrl,
  ImportOutcome,
  InstalledModel,
  LoadCheck,
  ModelId,
  ModelRole,
  ModelSettings,
  Recommendation,
  SetupStatus,
} from './models';

const JobId = z.string().min(1).max(64);

/** The model manager's commands: catalog, hardware, recommendation, downloads, import, registry. */
export const modelCommands = {
  'models.catalog': {
    request: z.object({}).strict(),
    response: z.array(CatalogListing),
  },
  'models.hardware': {
    request: z.object({ refresh: z.boolean().default(false) }).strict(),
    response: HardwareInfo,
  },
  'models.recommend': {
    request: z
      .object({
        concurrentCalls: z.number().int().min(1, 'At least one call').max(64, 'At most 64 concurrent calls').default(2),
        language: z.string().min(2).max(20).default('en'),
        includeUnverified: z.boolean().default(false),
      })
      .strict(),
    response: Recommendation,
  },
  'models.list': {
    request: z.object({}).strict(),
    response: z.array(InstalledModel),
  },
  'models.download': {
    request: z
      .object({
        modelId: ModelId,
        /** Accept files whose hash the catalog does not know; their computed hash is recorded. */
        trustUnverified: z.boolean().default(false),
        /** A custom URL for a one-file model, tried before the catalog's. */
        url: HttpUrl.optional(),
      })
      .strict(),
    response: DownloadJob,
  },
  'models.downloads': {
    request: z.object({}).strict(),
    response: z.array(DownloadJob),
  },
  'models.cancel': {
    request: z.object({ jobId: JobId }).strict(),
    response: DownloadJob,
  },
  'models.retry': {
    request: z.object({ jobId: JobId }).strict(),
    response: DownloadJob,
  },
  'models.import': {
    request: z
      .object({
        folder: z.string().min(1, 'Give the folder to import from').max(4096),
        mode: z.enum(['copy', 'link']).default('copy'),
        trustUnverified: z.boolean().default(false),
      })
      .strict(),
    response: ImportOutcome,
  },
  'models.use': {
    request: z.object({ modelId: ModelId }).strict(),
    response: InstalledModel,
  },
  'models.remove': {
    request: z.object({ modelId: ModelId }).strict(),
    response: z.object({ modelId: ModelId }),
  },
  'models.verifyLoad': {
    request: z.object({ modelId: ModelId }).strict(),
    response: LoadCheck,
  },
  'models.setupStatus': {
    request: z.object({}).strict(),
    response: SetupStatus,
  },
  'models.getSettings': {
    request: z.object({}).strict(),
    response: ModelSettings,
  },
  'models.setSettings': {
    request: ModelSettings.partial().strict(),
    response: ModelSettings,
  },
} as const;

export const modelEvents = {
  /** A download moved: progress (throttled), state change, or failure. */
  'models.download': DownloadJob,
  /** An import from a folder is reading a file: checking its hash, or copying it in (throttled). */
  'models.importProgress': z.object({ file: z.string(), phase: z.enum(['checking', 'copying']), doneBytes: z.number(), totalBytes: z.number() }),
  /** The installed set or an active model changed. */
  'models.changed': z.object({ installed: z.array(InstalledModel), activeRole: ModelRole.nullable() }),
} as const;
