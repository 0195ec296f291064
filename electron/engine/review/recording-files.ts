import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The folder recordings live in, under the data folder. */
export const RECORDINGS_DIR = 'recordings';

const CONTENT_TYPES: Record<string, string> = { 'ogg-opus': 'audio/ogg', ogg: 'audio/ogg', opus: 'audio/ogg', wav: 'audio/wav', flac: 'audio/flac' };

export function contentTypeOf(format: string): string {
  return CONTENT_TYPES[format] ?? 'application/octet-stream';
}

/**
 * The absolute file of a stored recording path (relative to the data folder), or null when it would
 * leave `<dataDir>/recordings` (by `..`, an absolute path or a symbolic link) or does not exist.
 */
export function recordingFilePath(dataDir: string, storedPath: string): string | null {
  if (!storedPath || isAbsolute(storedPath) || storedPath.includes('\0')) return null;
  const root = resolve(dataDir, RECORDINGS_DIR);
  const candidate = resolve(dataDir, storedPath);
  if (!inside(root, candidate)) return null;
  try {
    const real = realpathSync(candidate);
    if (!inside(realpathSync(root), real) || !statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
}

export type ByteRange = { start: number; end: number };

/**
 * One HTTP byte range ("bytes=a-b", "bytes=a-", "bytes=-n") of a file of `size` bytes: the range,
 * 'unsatisfiable' (answer 416), or null for no or an unusable header (answer the whole file).
 * Several ranges in one header are answered with the whole file.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return null;
  return { start, end };
}

/** Where the recorder puts a call's file: `recordings/YYYY/MM/<callId>.<ext>` (relative to the data folder). */
export function recordingRelativePath(callId: string, at: number, extension: string): string {
  const d = new Date(at);
  return join(RECORDINGS_DIR, String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), `${callId}.${extension}`);
}
