import { createHash, type Hash } from 'node:crypto';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { FileFormat, ModelFailureReason } from '../../contracts';
import { isDiskFullError } from './disk';
import { feedFile } from './hash';
import { formatProblem, SNIFF_BYTES } from './magic';
import { formatBytes } from './progress';

/** A failed transfer, with the reason a UI branches on. `retryable` failures resume after a pause. */
export class TransferError extends Error {
  constructor(
    readonly reason: ModelFailureReason,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

export interface TransferRequest {
  /** Tried in order: a URL that fails for good (404, an HTML page) hands over to the next. */
  urls: string[];
  /** Where the verified file ends up. The partial download sits beside it as `<finalPath>.part`. */
  finalPath: string;
  expectedSize: number | null;
  /** Null only when the user chose to trust a file the catalog has no hash for. */
  expectedSha256: string | null;
  format: FileFormat;
  name: string;
  signal: AbortSignal;
  onProgress: (receivedBytes: number) => void;
  onAttempt?: (attempt: { url: string; resumeFrom: number }) => void;
  /** Refuse to write more than this many bytes (the models storage limit, for files of unknown size). */
  byteLimit?: number;
  retry?: RetryPolicy;
}

export interface RetryPolicy {
  /** Connection attempts per URL, counting resumes after a drop. */
  attemptsPerUrl: number;
  /** A connection that sends nothing for this long is dropped and resumed. */
  idleTimeoutMs: number;
  delayMs: (attempt: number) => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attemptsPerUrl: 6,
  idleTimeoutMs: 30_000,
  delayMs: (attempt) => Math.min(250 * 2 ** (attempt - 1), 8_000),
};

export interface TransferResult {
  sha256: string;
  sizeBytes: number;
  attempts: number;
  /** Bytes already on disk from an earlier, interrupted run. */
  resumedFrom: number;
}

/** What we remember about a partial file so a resume only continues the same bytes. */
interface PartialMeta {
  url: string;
  validator: string | null; // strong ETag or Last-Modified, sent back as If-Range
  expectedSha256: string | null;
  expectedSize: number | null;
}

/**
 * Downloads one file over HTTP(S) with resume (Range / If-Range), checks its first bytes against
 * the expected format, hashes it as it arrives and, only if size and sha256 match, renames it into
 * place. A dropped connection resumes where it stopped; a server that ignores Range restarts from 0.
 */
export async function transferFile(request: TransferRequest): Promise<TransferResult> {
  const retry = request.retry ?? DEFAULT_RETRY;
  const partial = new PartialFile(`${request.finalPath}.part`, request);
  const resumedFrom = await partial.restore();
  let attempts = 0;
  let lastError: TransferError | undefined;

  for (const url of request.urls) {
    for (let attempt = 1; attempt <= retry.attemptsPerUrl; attempt++) {
      if (request.signal.aborted) throw cancelled(request.name);
      attempts++;
      try {
        await fetchInto(url, partial, request, retry);
        const sha256 = await partial.finish();
        return { sha256, sizeBytes: partial.received, attempts, resumedFrom };
      } catch (error) {
        const failure = await classify(error, partial, request);
        lastError = failure;
        if (failure.reason === 'cancelled' || failure.reason === 'disk_full') throw failure;
        if (!failure.retryable) break; // this URL will not get better; try the next one
        if (attempt < retry.attemptsPerUrl) await sleep(retry.delayMs(attempt), request.signal, request.name);
      }
    }
  }
  throw lastError ?? new TransferError('http_error', `${request.name}: no URL to download from`);
}

async function fetchInto(url: string, partial: PartialFile, request: TransferRequest, retry: RetryPolicy): Promise<void> {
  if (request.expectedSize !== null && partial.received === request.expectedSize) return; // already complete
  const connection = new AbortController();
  const onAbort = () => connection.abort(request.signal.reason);
  request.signal.addEventListener('abort', onAbort, { once: true });
  let idle: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => connection.abort(new TransferError('network', `${request.name}: no data for ${retry.idleTimeoutMs / 1000} s`, true)), retry.idleTimeoutMs);
  };
  try {
    const headers: Record<string, string> = { Accept: '*/*', 'Accept-Encoding': 'identity' };
    const resumeFrom = partial.received;
    if (resumeFrom > 0) {
      headers.Range = `bytes=${resumeFrom}-`;
      if (partial.meta?.validator && partial.meta.url === url) headers['If-Range'] = partial.meta.validator;
    }
    request.onAttempt?.({ url, resumeFrom });
    touch();
    const response = await fetch(url, { headers, redirect: 'follow', signal: connection.signal });
    let append = false;
    if (response.status === 206 && resumeFrom > 0) {
      const start = Number(/bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
      if (start !== resumeFrom) {
        await response.body?.cancel();
        await partial.reset();
        throw new TransferError('network', `${request.name}: the server resumed at the wrong offset; starting again`, true);
      }
      append = true;
    } else if (response.status === 416 && resumeFrom > 0) {
      await response.body?.cancel();
      await partial.reset(); // the partial is longer than the file: it belongs to something else
      throw new TransferError('network', `${request.name}: the partial download does not fit the file; starting again`, true);
    } else if (!response.ok) {
      await response.body?.cancel();
      const permanent = response.status < 500 && response.status !== 408 && response.status !== 429;
      throw new TransferError('http_error', `${request.name}: ${url} answered HTTP ${response.status}`, !permanent);
    } else if (resumeFrom > 0) {
      await partial.reset(); // 200 to a Range request: no range support, or the file changed
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (/text\/html/i.test(contentType)) {
      await response.body?.cancel();
      throw new TransferError('not_a_model', `${request.name}: ${url} returned a web page (text/html), not the model file`);
    }
    const length = Number(response.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(length) ? length + (append ? resumeFrom : 0) : null;
    if (total !== null && request.expectedSize !== null && total !== request.expectedSize) {
      await response.body?.cancel();
      throw new TransferError('size_mismatch', `${request.name}: ${url} serves ${formatBytes(total)} but the catalog expects ${formatBytes(request.expectedSize)}`);
    }
    await partial.saveMeta(url, validatorOf(response.headers));
    if (!response.body) throw new TransferError('network', `${request.name}: empty response`, true);
    await partial.open(append);
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      touch();
      await partial.write(chunk);
    }
    if (request.expectedSize !== null && partial.received < request.expectedSize) {
      throw new TransferError('network', `${request.name}: the connection ended at ${formatBytes(partial.received)} of ${formatBytes(request.expectedSize)}`, true);
    }
  } catch (error) {
    // An idle timeout aborts with our own TransferError as the reason; surface that.
    if (connection.signal.aborted && connection.signal.reason instanceof TransferError && !request.signal.aborted) throw connection.signal.reason;
    throw error;
  } finally {
    clearTimeout(idle);
    request.signal.removeEventListener('abort', onAbort);
    await partial.close();
  }
}

async function classify(error: unknown, partial: PartialFile, request: TransferRequest): Promise<TransferError> {
  if (request.signal.aborted) return cancelled(request.name);
  if (isDiskFullError(error)) {
    await partial.discard();
    return new TransferError('disk_full', `The disk is full while writing ${request.name}; the partial file was removed to free the space`);
  }
  if (error instanceof TransferError) {
    if (['not_a_model', 'size_mismatch', 'checksum_mismatch', 'disk_full'].includes(error.reason)) await partial.discard();
    return error;
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code && /^E[A-Z]+$/.test(code) && !(error instanceof TypeError) && (error as NodeJS.ErrnoException).syscall) {
    if (['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
      return new TransferError('network', `${request.name}: ${code}`, true);
    }
    return new TransferError('io_error', `${request.name}: ${(error as Error).message}`);
  }
  // fetch reports dropped sockets as TypeError("terminated" / "fetch failed") with the cause inside.
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return new TransferError('network', `${request.name}: connection failed (${detail})`, true);
}

class PartialFile {
  received = 0;
  meta: PartialMeta | undefined;
  private hash: Hash = createHash('sha256');
  private handle: Awaited<ReturnType<typeof open>> | undefined;
  private head: Buffer[] = [];
  private headChecked = false;

  constructor(
    readonly path: string,
    private readonly request: TransferRequest,
  ) {}

  private get metaPath() {
    return `${this.path}.json`;
  }

  /** Picks up bytes from an earlier run if they were for the same file; returns how many. */
  async restore(): Promise<number> {
    const size = await stat(this.path).then((s) => s.size, () => 0);
    const meta = await readFile(this.metaPath, 'utf8').then((t) => JSON.parse(t) as PartialMeta, () => undefined);
    const sameFile = meta && meta.expectedSha256 === this.request.expectedSha256 && meta.expectedSize === this.request.expectedSize;
    const fits = this.request.expectedSize === null || size <= this.request.expectedSize;
    if (size === 0 || !sameFile || !fits) {
      await this.discard();
      return 0;
    }
    this.meta = meta;
    this.received = await feedFile(this.hash, this.path, { signal: this.request.signal });
    this.headChecked = true; // the head was checked when these bytes first arrived
    return this.received;
  }

  async saveMeta(url: string, validator: string | null): Promise<void> {
    this.meta = { url, validator, expectedSha256: this.request.expectedSha256, expectedSize: this.request.expectedSize };
    await writeFile(this.metaPath, JSON.stringify(this.meta));
  }

  async open(append: boolean): Promise<void> {
    this.handle = await open(this.path, append ? 'a' : 'w');
  }

  async write(chunk: Uint8Array): Promise<void> {
    const limit = this.request.byteLimit;
    const next = this.received + chunk.length;
    if (this.request.expectedSize !== null && next > this.request.expectedSize) {
      throw new TransferError('size_mismatch', `${this.request.name}: the server sent more than the expected ${formatBytes(this.request.expectedSize)}`);
    }
    if (limit !== undefined && next > limit) {
      throw new TransferError('disk_full', `${this.request.name} would exceed the models storage limit of ${formatBytes(limit)}`);
    }
    if (!this.headChecked) this.checkHead(chunk, false);
    await this.handle!.write(chunk);
    this.hash.update(chunk);
    this.received = next;
    this.request.onProgress(this.received);
  }

  private checkHead(chunk: Uint8Array, final: boolean): void {
    this.head.push(Buffer.from(chunk));
    const head = Buffer.concat(this.head);
    if (head.length < SNIFF_BYTES && !final) return;
    this.headChecked = true;
    this.head = [];
    const problem = formatProblem(this.request.format, head.subarray(0, SNIFF_BYTES), this.request.name);
    if (problem) throw new TransferError('not_a_model', problem);
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) {
      await handle.datasync().catch(() => undefined);
      await handle.close();
    }
  }

  /** Verifies size and hash, then renames into place; returns the sha256. */
  async finish(): Promise<string> {
    if (!this.headChecked) this.checkHead(new Uint8Array(0), true);
    const { expectedSize, expectedSha256, name } = this.request;
    if (expectedSize !== null && this.received !== expectedSize) {
      throw new TransferError('size_mismatch', `${name}: got ${formatBytes(this.received)}, expected ${formatBytes(expectedSize)}`);
    }
    const sha256 = this.hash.copy().digest('hex');
    if (expectedSha256 !== null && sha256 !== expectedSha256) {
      throw new TransferError('checksum_mismatch', `${name} failed its checksum (expected sha256 ${expectedSha256}, got ${sha256}); the file was discarded`);
    }
    await rename(this.path, this.request.finalPath);
    await rm(this.metaPath, { force: true });
    return sha256;
  }

  async reset(): Promise<void> {
    await this.close();
    await this.discard();
  }

  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(this.path, { force: true });
    await rm(this.metaPath, { force: true });
    this.received = 0;
    this.meta = undefined;
    this.hash = createHash('sha256');
    this.head = [];
    this.headChecked = false;
  }
}

/** If-Range takes a strong ETag or a Last-Modified date; weak ETags (W/"...") are not allowed. */
function validatorOf(headers: Headers): string | null {
  const etag = headers.get('etag');
  if (etag && !etag.startsWith('W/')) return etag;
  return headers.get('last-modified');
}

function cancelled(name: string): TransferError {
  return new TransferError('cancelled', `Download of ${name} was cancelled`);
}

function sleep(ms: number, signal: AbortSignal, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled(name));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(name));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
