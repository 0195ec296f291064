import { approvedHostOf, assertCustomUrlAllowed, assertPublicTarget } from './url-policy';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  ParleyError,
  type CatalogModel,
  type DownloadJob,
  type InstalledFile,
  type MirrorRule,
  type ModelFailureReason,
} from '../../contracts';
import type { Logger } from '../logging';
import { downloadBytes } from './catalog';
import { freeDiskBytes } from './disk';
import { sha256File } from './hash';
import type { ModelLayout } from './layout';
import { formatBytes, SpeedMeter } from './progress';
import { transferFile, TransferError, type RetryPolicy } from './transfer';

/** What the download manager needs from the model manager around it. */
export interface DownloadHost {
  layout: ModelLayout;
  logger: Logger;
  isInstalled(modelId: string): Promise<boolean>;
  mirrors(): Promise<MirrorRule[]>;
  /** Bytes the models folder holds now (installed + staged), for the storage limit. */
  usedStorageBytes(): Promise<number>;
  install(model: CatalogModel, stagingDir: string, files: InstalledFile[], source: 'download'): Promise<void>;
  emit(job: DownloadJob): void;
}

export interface DownloadLimits {
  /** Models downloading at once; the rest wait as `queued`. */
  maxConcurrent: number;
  /** Cap on the models folder (null: only the disk's free space limits). */
  storageLimitBytes: number | null;
  /** Free space to leave on the disk after a download. */
  reserveFreeBytes: number;
  progressIntervalMs: number;
  retry?: RetryPolicy;
}

interface JobRecord {
  job: DownloadJob;
  model: CatalogModel;
  trustUnverified: boolean;
  url: string | undefined;
  controller: AbortController;
  done: Promise<DownloadJob>;
  lastEmit: number;
}

const FINISHED = new Set<DownloadJob['state']>(['completed', 'failed', 'cancelled']);
const KEEP_FINISHED_JOBS = 50;
/** Failures after which partial files are useless: the staging folder goes, so nothing half-written stays. */
const DISCARD_ON = new Set<ModelFailureReason>(['checksum_mismatch', 'size_mismatch', 'not_a_model', 'unverified', 'disk_full', 'io_error']);

/** Runs model downloads: queue with a concurrency limit, progress with speed and ETA, cancel, retry. */
export class DownloadManager {
  private readonly jobs = new Map<string, JobRecord>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly host: DownloadHost,
    private readonly limits: DownloadLimits,
  ) {}

  async start(model: CatalogModel, options: { trustUnverified: boolean; url?: string }): Promise<DownloadJob> {
    if (this.disposed) throw new ParleyError('unavailable', 'The model manager is shutting down');
    const running = [...this.jobs.values()].find((r) => r.model.id === model.id && !FINISHED.has(r.job.state));
    if (running) return { ...running.job };
    if (await this.host.isInstalled(model.id)) throw new ParleyError('conflict', `${model.name} is already installed`);
    const unverified = model.files.filter((f) => !f.verified);
    if (unverified.length > 0 && !options.trustUnverified) {
      throw new ParleyError(
        'forbidden',
        `${model.name} is not verified: the catalog cannot confirm the size and sha256 of ${unverified.map((f) => f.path).join(', ')}. ` +
          'Download it anyway with --trust-unverified (the computed hash is recorded).',
      );
    }
    if (options.url && model.files.length > 1) {
      throw new ParleyError('invalid_payload', `${model.name} has ${model.files.length} files; a custom URL only works for one-file models (use a mirror rule instead)`);
    }
    if (options.url) {
      const mirrors = await this.host.mirrors();
      assertCustomUrlAllowed(options.url, model.files[0]?.urls ?? [], mirrors);
      await assertPublicTarget(options.url, model.files[0]!.urls.includes(options.url) || approvedHostOf(options.url, mirrors)?.allowPrivateNetwork === true);
    }
    const id = `dl-${randomBytes(4).toString('hex')}`;
    const record: JobRecord = {
      job: {
        id,
        modelId: model.id,
        name: model.name,
        state: 'queued',
        receivedBytes: 0,
        totalBytes: downloadBytes(model),
        bytesPerSecond: 0,
        etaSeconds: null,
        currentFile: null,
        attempts: 0,
        resumedFromBytes: 0,
        failure: null,
        startedAt: new Date().toISOString(),
        finishedAt: null,
      },
      model,
      trustUnverified: options.trustUnverified,
      url: options.url,
      controller: new AbortController(),
      done: Promise.resolve(undefined as never),
      lastEmit: 0,
    };
    this.jobs.set(id, record);
    this.forgetOldJobs();
    record.done = this.run(record);
    this.host.emit({ ...record.job });
    return { ...record.job };
  }

  list(): DownloadJob[] {
    return [...this.jobs.values()].map((r) => ({ ...r.job }));
  }

  get(jobId: string): DownloadJob {
    return { ...this.record(jobId).job };
  }

  /** Resolves when the job finishes (completed, failed or cancelled). */
  wait(jobId: string): Promise<DownloadJob> {
    return this.record(jobId).done;
  }

  cancel(jobId: string): DownloadJob {
    const record = this.record(jobId);
    if (!FINISHED.has(record.job.state)) record.controller.abort();
    return { ...record.job };
  }

  /** Runs a failed or cancelled job again; files already on disk resume where they stopped. */
  async retry(jobId: string): Promise<DownloadJob> {
    const record = this.record(jobId);
    if (!FINISHED.has(record.job.state)) return { ...record.job };
    if (record.job.state === 'completed') throw new ParleyError('conflict', `${record.model.name} has already been downloaded`);
    Object.assign(record.job, { state: 'queued', failure: null, finishedAt: null, bytesPerSecond: 0, etaSeconds: null });
    record.controller = new AbortController();
    record.done = this.run(record);
    this.host.emit({ ...record.job });
    return { ...record.job };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const record of this.jobs.values()) record.controller.abort();
    await Promise.allSettled([...this.jobs.values()].map((r) => r.done));
  }

  /** Keeps the last finished jobs for the UI; older ones are dropped so a long-running engine does not grow. */
  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((r) => FINISHED.has(r.job.state));
    for (const record of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED_JOBS))) this.jobs.delete(record.job.id);
  }

  private record(jobId: string): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record) throw new ParleyError('not_found', `No download with id ${jobId}`);
    return record;
  }

  private async run(record: JobRecord): Promise<DownloadJob> {
    const { job, model } = record;
    const staging = this.host.layout.stagingDir(model.id);
    await this.slot(record.controller.signal).catch(() => undefined);
    try {
      if (record.controller.signal.aborted) throw new TransferError('cancelled', `Download of ${model.name} was cancelled`);
      this.update(record, { state: 'downloading' }, true);
      await mkdir(staging, { recursive: true });
      const byteLimit = await this.checkSpace(model, staging);
      const files = await this.fetchFiles(record, staging, byteLimit);
      this.update(record, { state: 'verifying', currentFile: null }, true);
      await this.host.install(model, staging, files, 'download');
      this.update(record, { state: 'completed', etaSeconds: 0, finishedAt: new Date().toISOString() }, true);
      this.host.logger.info({ modelId: model.id, attempts: job.attempts }, 'model downloaded');
    } catch (error) {
      const failure = toFailure(error);
      const state = failure.reason === 'cancelled' ? 'cancelled' : 'failed';
      if (DISCARD_ON.has(failure.reason)) await this.host.layout.discard(staging).catch(() => undefined);
      this.update(record, { state, failure, bytesPerSecond: 0, etaSeconds: null, finishedAt: new Date().toISOString() }, true);
      this.host.logger.warn({ modelId: model.id, reason: failure.reason, message: failure.message }, 'model download stopped');
    } finally {
      this.release();
    }
    return { ...job };
  }

  private async fetchFiles(record: JobRecord, staging: string, byteLimit: number | undefined): Promise<InstalledFile[]> {
    const { model } = record;
    const mirrors = await this.host.mirrors();
    const meter = new SpeedMeter();
    const files: InstalledFile[] = [];
    let doneBytes = 0;
    for (const file of model.files) {
      const finalPath = this.host.layout.fileIn(staging, file.path);
      await mkdir(dirname(finalPath), { recursive: true });
      this.update(record, { currentFile: file.path }, true);
      const kept = await keptFile(finalPath, file.sha256, file.sizeBytes, record.controller.signal);
      let sha256: string;
      let sizeBytes: number;
      if (kept) {
        ({ sha256, sizeBytes } = kept);
      } else {
        const candidates = [...new Set([...(record.url ? [record.url] : []), ...file.urls.flatMap((u) => [...applyMirrors(u, mirrors), u])])];
        // Catalog URLs are trusted as shipped; any other URL must not lead to a private network unless its mirror allows it.
        const urls: string[] = [];
        for (const url of candidates) {
          if (file.urls.includes(url)) urls.push(url);
          else if (await assertPublicTarget(url, approvedHostOf(url, mirrors)?.allowPrivateNetwork === true).then(() => true, (error: Error) => (this.host.logger.warn({ url }, error.message), false))) urls.push(url);
        }
        const result = await transferFile({
          urls,
          finalPath,
          expectedSize: file.sizeBytes,
          expectedSha256: file.sha256,
          format: file.format,
          name: `${model.name}: ${file.path}`,
          signal: record.controller.signal,
          byteLimit: byteLimit === undefined ? undefined : byteLimit - doneBytes,
          ...(this.limits.retry ? { retry: this.limits.retry } : {}),
          onAttempt: ({ resumeFrom }) => {
            record.job.attempts++;
            if (resumeFrom > 0) record.job.resumedFromBytes = Math.max(record.job.resumedFromBytes, doneBytes + resumeFrom);
            this.update(record, {}, true);
          },
          onProgress: (received) => {
            const receivedBytes = doneBytes + received;
            meter.record(receivedBytes);
            this.update(record, {
              receivedBytes,
              bytesPerSecond: meter.bytesPerSecond(),
              etaSeconds: meter.etaSeconds(receivedBytes, record.job.totalBytes),
            });
          },
        });
        ({ sha256, sizeBytes } = result);
      }
      doneBytes += sizeBytes;
      this.update(record, { receivedBytes: doneBytes });
      files.push({ path: file.path, sizeBytes, sha256, verified: file.verified && file.sha256 === sha256 });
    }
    return files;
  }

  /** Disk space and storage limit, checked before the first byte; returns the byte cap for unknown sizes. */
  private async checkSpace(model: CatalogModel, staging: string): Promise<number | undefined> {
    const total = downloadBytes(model);
    const staged = await this.host.layout.sizeOf(staging);
    const needed = total === null ? null : Math.max(0, total - staged);
    const free = await freeDiskBytes(this.host.layout.modelsDir);
    if (needed !== null && free !== null && needed + this.limits.reserveFreeBytes > free) {
      throw new TransferError(
        'disk_full',
        `Not enough disk space for ${model.name}: it needs ${formatBytes(needed)} more (keeping ${formatBytes(this.limits.reserveFreeBytes)} free), ` +
          `and only ${formatBytes(free)} is free at ${this.host.layout.modelsDir}`,
      );
    }
    const limit = this.limits.storageLimitBytes;
    if (limit === null) return free === null ? undefined : Math.max(0, free - this.limits.reserveFreeBytes) + staged;
    const used = (await this.host.usedStorageBytes()) - staged;
    if (needed !== null && used + staged + needed > limit) {
      throw new TransferError(
        'disk_full',
        `${model.name} (${formatBytes(total!)}) would exceed the models storage limit of ${formatBytes(limit)}: ${formatBytes(used)} is already used`,
      );
    }
    return Math.max(0, limit - used);
  }

  private update(record: JobRecord, patch: Partial<DownloadJob>, force = false): void {
    Object.assign(record.job, patch);
    const now = performance.now();
    if (!force && now - record.lastEmit < this.limits.progressIntervalMs) return;
    record.lastEmit = now;
    this.host.emit({ ...record.job });
  }

  private async slot(signal: AbortSignal): Promise<void> {
    if (this.running < this.limits.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal.removeEventListener('abort', stop);
        this.running++;
        resolve();
      };
      const stop = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        this.running++; // balanced by the release in run()'s finally
        reject(new Error('cancelled while queued'));
      };
      this.waiting.push(go);
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  private release(): void {
    this.running--;
    const next = this.waiting.shift();
    if (next) next();
  }
}

/** A file a previous run already finished and verified (multi-file models resume file by file). */
async function keptFile(path: string, sha256: string | null, sizeBytes: number | null, signal: AbortSignal) {
  const size = await stat(path).then((s) => (s.isFile() ? s.size : -1), () => -1);
  if (size < 0) return undefined;
  if (sha256 !== null && (sizeBytes === null || size === sizeBytes)) {
    const actual = await sha256File(path, { signal });
    if (actual === sha256) return { sha256, sizeBytes: size };
  }
  await rm(path, { force: true });
  return undefined;
}

/** Mirror URLs for `url`, in rule order. */
export function applyMirrors(url: string, mirrors: MirrorRule[]): string[] {
  return mirrors.filter((m) => url.startsWith(m.from)).map((m) => m.to + url.slice(m.from.length));
}

function toFailure(error: unknown): { reason: ModelFailureReason; message: string } {
  if (error instanceof TransferError) return { reason: error.reason, message: error.message };
  if (error instanceof ParleyError) return { reason: 'io_error', message: error.message };
  return { reason: 'io_error', message: (error as Error)?.message ?? String(error) };
}
