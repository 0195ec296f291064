import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Streams a file through sha256; `onBytes` sees the running count (for "verifying" progress). */
export async function sha256File(
  path: string,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void; into?: Hash; end?: number } = {},
): Promise<string> {
  const hash = options.into ?? createHash('sha256');
  await feedFile(hash, path, options);
  return hash.digest('hex');
}

/** Feeds the bytes of `path` (up to `end`, exclusive) into `hash` without finishing it; resuming a download continues from here. */
export async function feedFile(
  hash: Hash,
  path: string,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void; end?: number } = {},
): Promise<number> {
  if (options.end === 0) return 0;
  const stream = createReadStream(path, {
    highWaterMark: 1 << 20,
    signal: options.signal,
    ...(options.end !== undefined ? { end: options.end - 1 } : {}),
  });
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    total += chunk.length;
    options.onBytes?.(total);
  }
  return total;
}
