import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type ImportOptions, type ImportReport } from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import { importCsv } from './csv-import';
import { importDncFile } from './dnc-file-import';

/** Feeds uploaded chunks to the importer one at a time; a push resolves once the importer has taken it. */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  private readonly items: Array<{ bytes: Uint8Array; taken: () => void }> = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;

  push(bytes: Uint8Array): Promise<void> {
    return new Promise((taken) => {
      this.items.push({ bytes, taken });
      this.wake?.();
    });
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure = error;
    for (const item of this.items.splice(0)) item.taken();
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure;
      const item = this.items.shift();
      if (item) {
        yield item.bytes;
        // The consumer asked for more: it is done with this chunk.
        item.taken();
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

interface Session {
  queue: ChunkQueue;
  result: Promise<ImportReport>;
  bytes: number;
  rows: number;
  idleTimer: ReturnType<typeof setTimeout>;
}

/**
 * Imports uploaded in chunks over the contract (the console cannot hand the engine a file path).
 * Rows are written as chunks arrive; an abandoned upload is cancelled after `idleMs`, keeping the
 * rows already written.
 */
export class ImportSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock; events: EventBus; logger: Logger; idleMs?: number },
  ) {}

  begin(fileName: string, options: ImportOptions): string {
    if (this.sessions.size >= 4) throw new ParleyError('conflict', 'Four imports are already running; finish or cancel one first');
    const importId = randomUUID();
    const queue = new ChunkQueue();
    const session: Session = {
      queue,
      bytes: 0,
      rows: 0,
      idleTimer: this.idleTimer(importId),
      result: (options.target === 'dnc' ? importDncFile : importCsv)(queue, options, {
        sqlite: this.deps.sqlite,
        clock: this.deps.clock,
        fileName,
        onProgress: ({ rows }) => {
          session.rows = rows;
          this.deps.events.emit('contacts.importProgress', { importId, bytes: session.bytes, rows });
        },
      }),
    };
    session.result.catch(() => undefined); // surfaced by chunk() or finish()
    this.sessions.set(importId, session);
    this.deps.logger.info({ importId, fileName, target: options.target }, 'contact import started');
    return importId;
  }

  async chunk(importId: string, bytes: Uint8Array): Promise<{ bytes: number; rows: number }> {
    const session = this.get(importId);
    this.touch(importId, session);
    session.bytes += bytes.byteLength;
    // A file-level problem (not text, no phone column) fails the import while chunks are still coming.
    await Promise.race([session.queue.push(bytes), session.result.then(() => undefined)]).catch((error: unknown) => {
      this.close(importId);
      throw error;
    });
    return { bytes: session.bytes, rows: session.rows };
  }

  async finish(importId: string): Promise<ImportReport> {
    const session = this.get(importId);
    session.queue.end();
    try {
      const report = await session.result;
      this.deps.logger.info({ importId, ...report, rejections: undefined, warnings: undefined }, 'contact import finished');
      return report;
    } finally {
      this.close(importId);
    }
  }

  cancel(importId: string): void {
    const session = this.get(importId);
    session.queue.fail(new ParleyError('conflict', 'Import cancelled'));
    this.close(importId);
  }

  dispose(): void {
    for (const id of [...this.sessions.keys()]) this.cancel(id);
  }

  private get(importId: string): Session {
    const session = this.sessions.get(importId);
    if (!session) throw new ParleyError('not_found', `No import ${importId} in progress (finished, cancelled or timed out)`);
    return session;
  }

  private close(importId: string): void {
    const session = this.sessions.get(importId);
    if (!session) return;
    clearTimeout(session.idleTimer);
    this.sessions.delete(importId);
  }

  private touch(importId: string, session: Session): void {
    clearTimeout(session.idleTimer);
    session.idleTimer = this.idleTimer(importId);
  }

  private idleTimer(importId: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.deps.logger.warn({ importId }, 'contact import abandoned; cancelled');
      if (this.sessions.has(importId)) this.cancel(importId);
    }, this.deps.idleMs ?? 10 * 60_000);
    timer.unref?.();
    return timer;
  }
}
