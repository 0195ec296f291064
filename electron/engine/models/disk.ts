import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Free bytes available to this user on the filesystem holding `path` (or its nearest existing parent). */
export async function freeDiskBytes(path: string): Promise<number | null> {
  let current = path;
  for (;;) {
    try {
      const stats = await statfs(current);
      return Number(stats.bavail) * Number(stats.bsize);
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) return null;
      current = parent;
    }
  }
}

/** True for the errors a full disk (or a quota) raises while writing. */
export function isDiskFullError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG';
}
