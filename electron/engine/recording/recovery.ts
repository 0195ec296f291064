import { createHash } from 'node:crypto';
import { readFile, truncate } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import type { Kysely } from 'kysely';
import { OPUS_GRANULE_RATE, parseOpusHead, readOggPages } from '../audio/ogg-opus';
import type { Logger } from '../logging';
import type { Database } from '../storage/schema';

/** What the file on disk holds, up to its last whole page (a cut page at the end is removed). */
export async function finaliseFromDisk(absolutePath: string): Promise<{ durationMs: number; bytes: number; sha256: string }> {
  const bytes = new Uint8Array(await readFile(absolutePath));
  const { pages, validBytes } = readOggPages(bytes);
  if (validBytes < bytes.length) await truncate(absolutePath, validBytes);
  const head = pages[0]?.packets[0] ? parseOpusHead(pages[0].packets[0]) : null;
  const last = pages.findLast((p) => p.packets.length > 0 && p.granule > 0);
  const durationMs = head && last ? Math.max(0, Math.round(((last.granule - head.preSkip) * 1000) / OPUS_GRANULE_RATE)) : 0;
  return { durationMs, bytes: validBytes, sha256: createHash('sha256').update(bytes.subarray(0, validBytes)).digest('hex') };
}

/** A stored relative path, refused if it would leave the data folder. */
export function recordingPath(dataDir: string, relative: string): string {
  const clean = normalize(relative);
  if (isAbsolute(clean) || clean.startsWith('..')) throw new Error(`recording path outside the data folder: ${relative}`);
  return join(dataDir, clean);
}

/**
 * The startup pass: rows still 'recording' belong to calls cut off by a crash. Each file is kept up
 * to its last whole page and the row gets status 'recovered', the duration from the last granule
 * position, the size and the sha256. A missing file is recorded as such (0 bytes).
 */
export async function recoverRecordings(deps: { db: Kysely<Database>; dataDir: string; logger: Logger }): Promise<number> {
  const rows = await deps.db.selectFrom('call_recordings').select(['call_id', 'path', 'started_at']).where('status', '=', 'recording').execute();
  for (const row of rows) {
    let found = { durationMs: 0, bytes: 0, sha256: null as string | null };
    try {
      found = await finaliseFromDisk(recordingPath(deps.dataDir, row.path));
    } catch (error) {
      deps.logger.warn({ callId: row.call_id, err: error }, 'recording file unreadable during recovery');
    }
    await deps.db
      .updateTable('call_recordings')
      .set({ status: 'recovered', ended_at: row.started_at + found.durationMs, duration_ms: found.durationMs, bytes: found.bytes, sha256: found.sha256 })
      .where('call_id', '=', row.call_id)
      .where('status', '=', 'recording')
      .execute();
    deps.logger.info({ callId: row.call_id, durationMs: found.durationMs, bytes: found.bytes }, 'recording recovered after an interrupted call');
  }
  return rows.length;
}
