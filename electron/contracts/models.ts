import { z } from 'zod';

/**
 * The model catalog (models/catalog.json) and everything the model manager shows a UI: hardware,
 * recommendations, installed models, downloads. The engine validates the catalog with these schemas.
 */

export const MODEL_ROLES = ['stt', 'llm', 'tts', 'vad'] as const;
export const ModelRole = z.enum(MODEL_ROLES, {
  error: (issue) => `Unknown role "${String(issue.input)}": expected one of ${MODEL_ROLES.join(', ')}`,
});
export type ModelRole = z.infer<typeof ModelRole>;

export const ROLE_LABELS: Record<ModelRole, string> = {
  stt: 'Speech to text',
  llm: 'Language model',
  tts: 'Text to speech',
  vad: 'Voice activity',
};

export const ModelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'A model id is 1-80 lowercase letters, digits, dots, dashes or underscores');

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters');

/** A file's place inside its model folder: relative, forward slashes, no `..`. */
export const ModelFilePath = z
  .string()
  .regex(/^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/, 'A file path is relative, uses "/", and has no ".."');

export const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) URLs can be downloaded');

/** What the first bytes of a file must look like; `raw` files (voice tensors) have no signature. */
export const FileFormat = z.enum(['gguf', 'ggml', 'onnx', 'json', 'raw']);
export type FileFormat = z.infer<typeof FileFormat>;

export const ModelEngine = z.enum(['whisper.cpp', 'node-llama-cpp', 'kokoro-js', 'onnxruntime']);
export type ModelEngine = z.infer<typeof ModelEngine>;

export const SpeedClass = z.enum(['fastest', 'fast', 'balanced', 'slow']);
export type SpeedClass = z.infer<typeof SpeedClass>;

export const CatalogFile = z
  .strictObject({
    path: ModelFilePath,
    /** Tried in order; mirrors configured by the user are tried before these. */
    urls: z.array(HttpUrl).min(1, 'A file needs at least one download URL'),
    sizeBytes: z.number().int().positive().nullable(),
    sha256: Sha256Hex.nullable(),
    format: FileFormat,
    /** True only when size and sha256 were confirmed from published sources; otherwise the user must opt in. */
    verified: z.boolean(),
    /** Where the size and hash come from. */
    source: z.string().max(500).optional(),
  })
  .refine((f) => !f.verified || (f.sha256 !== null && f.sizeBytes !== null), {
    message: 'A verified file must state its sizeBytes and sha256',
    path: ['verified'],
  });
export type CatalogFile = z.infer<typeof CatalogFile>;

export const CatalogModel = z
  .strictObject({
    id: ModelId,
    role: ModelRole,
    name: z.string().min(1).max(120),
    description: z.string().max(500),
    engine: ModelEngine,
    family: z.string().min(1).max(60),
    parameters: z.string().max(20).optional(),
    quantization: z.string().max(20).optional(),
    license: z.string().min(1).max(80),
    licenseUrl: HttpUrl.optional(),
    /** ISO 639-1 codes, or ["multilingual"]. */
    languages: z.array(z.string().min(2).max(20)).min(1),
    /** Estimated memory of the loaded model, shared by every call. */
    ramBytes: z.number().int().positive(),
    /** Estimated extra memory each concurrent call needs (context / decoder state). */
    perCallRamBytes: z.number().int().nonnegative(),
    /** Estimated GPU memory when fully offloaded, where the engine can offload. */
    vramBytes: z.number().int().positive().optional(),
    speedClass: SpeedClass,
    /** The first file is the one the engine opens; the rest sit beside it. */
    files: z.array(CatalogFile).min(1, 'A model needs at least one file'),
    notes: z.string().max(1000).optional(),
  })
  .refine((m) => new Set(m.files.map((f) => f.path)).size === m.files.length, {
    message: 'File paths within a model must be unique',
    path: ['files'],
  });
export type CatalogModel = z.infer<typeof CatalogModel>;

export const Catalog = z
  .strictObject({
    schemaVersion: z.literal(1),
    updated: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'updated is a YYYY-MM-DD date'),
    notes: z.string().max(2000).optional(),
    models: z.array(CatalogModel),
  })
  .refine((c) => new Set(c.models.map((m) => m.id)).size === c.models.length, {
    message: 'Model ids must be unique',
    path: ['models'],
  });
export type Catalog = z.infer<typeof Catalog>;

/** A catalog model as a UI lists it: with its download size and whether it is already here. */
export const CatalogListing = z.object({
  model: CatalogModel,
  downloadBytes: z.number().int().nonnegative().nullable(),
  verified: z.boolean(),
  installed: z.boolean(),
});
export type CatalogListing = z.infer<typeof CatalogListing>;

export const GpuKind = z.enum(['cuda', 'vulkan', 'metal']);
export type GpuKind = z.infer<typeof GpuKind>;

export const HardwareInfo = z.object({
  platform: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  /** Logical cores (hardware threads). */
  cpuCores: z.number().int().positive(),
  /** Cores without SMT siblings: what model threads should be counted against. */
  physicalCores: z.number().int().positive(),
  totalRamBytes: z.number().int().nonnegative(),
  freeRamBytes: z.number().int().nonnegative(),
  /** The GPU backend node-llama-cpp picks here, or null for CPU only. */
  llamaGpu: GpuKind.nullable(),
  gpuNames: z.array(z.string()),
  /** Total VRAM reported by node-llama-cpp; on unified-memory machines this is shared with RAM. */
  vramBytes: z.number().int().nonnegative(),
  unifiedMemory: z.boolean(),
  /** whisper.cpp GPU builds installed beside the CPU one. */
  whisperGpuBuilds: z.array(z.enum(['cuda', 'vulkan'])),
  /** True when whisper.cpp can run on a GPU here (a GPU build and its drivers, or Metal). */
  whisperGpu: z.boolean(),
  modelsDir: z.string(),
  freeDiskBytes: z.number().int().nonnegative().nullable(),
  probedAt: z.string(),
  /** Anything the probe could not find out, in words. */
  warnings: z.array(z.string()),
});
export type HardwareInfo = z.infer<typeof HardwareInfo>;

export const RecommendedPick = z.object({
  role: ModelRole,
  modelId: ModelId,
  name: z.string(),
  downloadBytes: z.number().int().nonnegative(),
  /** Memory this pick takes for the requested number of calls. */
  ramBytes: z.number().int().nonnegative(),
  onGpu: z.boolean(),
  installed: z.boolean(),
  reason: z.string(),
});
export type RecommendedPick = z.infer<typeof RecommendedPick>;

export const Recommendation = z.object({
  concurrentCalls: z.number().int().positive(),
  language: z.string(),
  /** Memory set aside for the models after the operating system's share. */
  budgetBytes: z.number().int().nonnegative(),
  picks: z.array(RecommendedPick),
  totalDownloadBytes: z.number().int().nonnegative(),
  totalRamBytes: z.number().int().nonnegative(),
  /** False when even the smallest set does not fit; `notes` says what to change. */
  fits: z.boolean(),
  notes: z.array(z.string()),
  hardware: HardwareInfo,
});
export type Recommendation = z.infer<typeof Recommendation>;

export const InstalledFile = z.object({
  path: ModelFilePath,
  sizeBytes: z.number().int().nonnegative(),
  sha256: Sha256Hex,
  /** True when the hash matched a verified catalog hash; false when the user trusted an unverified file. */
  verified: z.boolean(),
});
export type InstalledFile = z.infer<typeof InstalledFile>;

export const InstalledModel = z.object({
  id: ModelId,
  role: ModelRole,
  name: z.string(),
  engine: ModelEngine,
  dir: z.string(),
  primaryPath: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  source: z.enum(['download', 'import']),
  verified: z.boolean(),
  installedAt: z.string(),
  files: z.array(InstalledFile),
  active: z.boolean(),
});
export type InstalledModel = z.infer<typeof InstalledModel>;

export const DownloadState = z.enum(['queued', 'downloading', 'verifying', 'completed', 'failed', 'cancelled']);
export type DownloadState = z.infer<typeof DownloadState>;

/** Why a download or import was refused; UIs branch on this, never on the message. */
export const ModelFailureReason = z.enum([
  'checksum_mismatch',
  'size_mismatch',
  'not_a_model', // an HTML page, or bytes that are not the expected format
  'unverified', // the catalog does not know the hash and the user did not opt in
  'disk_full',
  'http_error',
  'network',
  'cancelled',
  'io_error',
]);
export type ModelFailureReason = z.infer<typeof ModelFailureReason>;

export const DownloadJob = z.object({
  id: z.string(),
  modelId: ModelId,
  name: z.string(),
  state: DownloadState,
  receivedBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative().nullable(),
  bytesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  currentFile: z.string().nullable(),
  /** Connection attempts so far, counting automatic resumes after a drop. */
  attempts: z.number().int().nonnegative(),
  resumedFromBytes: z.number().int().nonnegative(),
  failure: z.object({ reason: ModelFailureReason, message: z.string() }).nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type DownloadJob = z.infer<typeof DownloadJob>;

export const ImportOutcome = z.object({
  imported: z.array(z.object({ modelId: ModelId, name: z.string(), files: z.number().int() })),
  rejected: z.array(z.object({ file: z.string(), reason: ModelFailureReason, message: z.string() })),
  /** Files that matched nothing in the catalog. */
  ignored: z.array(z.string()),
  /** Models some of whose files were found, but not all. */
  incomplete: z.array(z.object({ modelId: ModelId, missing: z.array(z.string()) })),
  alreadyInstalled: z.array(ModelId),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

/**
 * Rewrites download URLs that start with `from` to start with `to` (an office mirror, a proxy). Its host
 * becomes an approved download host; one on a loopback or private network needs `allowPrivateNetwork`.
 */
export const MirrorRule = z.strictObject({ from: HttpUrl, to: HttpUrl, allowPrivateNetwork: z.boolean().optional() });
export type MirrorRule = z.infer<typeof MirrorRule>;

export const ModelSettings = z.strictObject({
  mirrors: z.array(MirrorRule).max(20),
  setupDismissed: z.boolean(),
});
export type ModelSettings = z.infer<typeof ModelSettings>;

export const SetupStatus = z.object({
  /** True while some role has no active model. */
  needed: z.boolean(),
  missingRoles: z.array(ModelRole),
  dismissed: z.boolean(),
  installedCount: z.number().int().nonnegative(),
});
export type SetupStatus = z.infer<typeof SetupStatus>;

export const LoadCheck = z.object({
  modelId: ModelId,
  ok: z.boolean(),
  engine: ModelEngine,
  detail: z.string(),
  loadMs: z.number().nonnegative(),
});
export type LoadCheck = z.infer<typeof LoadCheck>;
