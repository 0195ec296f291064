import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';

/**
 * The thread's code, as CommonJS evaluated inline (it runs alike from sources and both bundles): its own
 * read-only connection to the database file. WAL lets it read committed data while the engine writes.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.library);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
const statement = (sql) => {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
};
const runBatch = db.transaction((batch) => batch.map((j) => (j.first ? statement(j.sql).get(j.params) : statement(j.sql).all(j.params))));
parentPort.on('message', (job) => {
  try {
    if (job.batch) parentPort.postMessage({ id: job.id, rows: runBatch(job.batch) });
    else parentPort.postMessage({ id: job.id, rows: db.prepare(job.sql).all(...job.parameters) });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String(error && error.message ? error.message : error) });
  }
});
`;

/** One statement of a `batch`: SQL with @named parameters. */
export interface ReadJob {
  sql: string;
  params: Record<string, unknown>;
  first?: boolean;
}

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

/**
 * Runs long read-only queries (a launch summary over 100,000 contacts takes a few hundred ms) on a
 * second thread, so the event loop that paces live calls never waits for them. An in-memory store
 * (tests) has no file to share: its queries run in-process.
 */
export class ReadQueryWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async all<Row>(query: CompiledQuery<Row>): Promise<Row[]> {
    const parameters = query.parameters as unknown[];
    const worker = this.thread();
    if (!worker) return this.sqlite.prepare(query.sql).all(...parameters) as Row[];
    const id = this.nextId++;
    return new Promise<Row[]>((resolve, reject) => {
      this.pending.set(id, { resolve: (rows) => resolve(rows as Row[]), reject });
      worker.postMessage({ id, sql: query.sql, parameters });
    });
  }

  /**
   * Several named-parameter statements in one read transaction on the thread, so their figures agree
   * (the dashboard): each gives its rows, or its first row when `first` is set.
   */
  async batch(jobs: ReadJob[]): Promise<unknown[]> {
    const worker = this.thread();
    if (!worker) return this.sqlite.transaction(() => jobs.map((j) => (j.first ? this.sqlite.prepare(j.sql).get(j.params) : this.sqlite.prepare(j.sql).all(j.params))))();
    const id = this.nextId++;
    return new Promise<unknown[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, batch: jobs });
    });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll(new Error('The query thread was closed'));
  }

  private thread(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.sqlite.memory || !this.sqlite.name) return undefined;
    const library = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { library, file: this.sqlite.name } });
    worker.unref();
    worker.on('message', (message: { id: number; rows?: unknown[]; error?: string }) => {
      const job = this.pending.get(message.id);
      if (!job) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) job.reject(new Error(message.error));
      else job.resolve(message.rows ?? []);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error('The query thread stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      job.reject(error);
    }
  }
}
