import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MAX_PHONE_CHARS, phoneFacts, withInternationalPrefix, type PhoneFacts } from './phone';

/**
 * The worker's code, as CommonJS evaluated in the thread: the same steps as phoneFacts() in
 * phone.ts. Inline (not a separate entry file) so it runs alike from sources, the server bundle and
 * the Electron bundle; the library is loaded by the absolute path this module resolves.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parsePhoneNumberFromString } = require(workerData.library);
const withInternationalPrefix = ${withInternationalPrefix.toString()};
parentPort.on('message', (job) => {
  const facts = job.texts.map((text) => {
    const trimmed = text.trim();
    if (!trimmed || trimmed.length > ${MAX_PHONE_CHARS}) return null;
    const international = withInternationalPrefix(trimmed);
    const dialledAbroad = international ? parsePhoneNumberFromString(international) : undefined;
    const parsed = dialledAbroad && dialledAbroad.isValid() ? dialledAbroad : parsePhoneNumberFromString(trimmed, job.region);
    return parsed ? [parsed.number, parsed.country ?? null, parsed.isValid(), parsed.countryCallingCode] : null;
  });
  parentPort.postMessage({ id: job.id, facts });
});
`;

interface Pending {
  resolve: (facts: PhoneFacts[]) => void;
  texts: string[];
  region: string;
}

/**
 * Parses phone numbers on a second thread while the importer reads the file and writes SQLite on
 * the main one (libphonenumber is the costliest step of a large import). If the thread cannot start
 * or fails, the numbers are parsed in-process instead: slower, same results.
 */
export class PhoneFactsWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    try {
      const library = createRequire(import.meta.url).resolve('libphonenumber-js');
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { library } });
      this.worker.unref();
      this.worker.on('message', (message: { id: number; facts: PhoneFacts[] }) => {
        const job = this.pending.get(message.id);
        if (!job) return;
        this.pending.delete(message.id);
        job.resolve(message.facts);
      });
      this.worker.on('error', () => this.fallBack());
      this.worker.on('exit', () => this.fallBack());
    } catch {
      this.worker = undefined;
    }
  }

  get threaded(): boolean {
    return this.worker !== undefined;
  }

  facts(texts: string[], region: string): Promise<PhoneFacts[]> {
    if (!this.worker) return Promise.resolve(texts.map((text) => phoneFacts(text, region)));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, texts, region });
      this.worker!.postMessage({ id, texts, region });
    });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
    this.fallBack();
  }

  /** The thread is gone: answer what it still owed from this thread. */
  private fallBack(): void {
    this.worker = undefined;
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      job.resolve(job.texts.map((text) => phoneFacts(text, job.region)));
    }
  }
}
