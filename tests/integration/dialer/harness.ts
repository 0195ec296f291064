import { createClient, ImportOptions, type ImportOptionsInput, type ImportReport, type ParleyClient } from '../../../electron/contracts';
import { createEngine, ManualClock, type Engine } from '../../../electron/engine';
import { ConsentStore } from '../../../electron/engine/compliance/consent-store';
import { importCsv } from '../../../electron/engine/contacts/csv-import';
import type { CallLauncher, CallRequest, DialOutcome } from '../../../electron/engine/ports/call-launcher';
import { addTestLine, testCarriers } from '../../support/lines';
import { tempDataDir } from '../../support/temp-dir';

/** Bytes as an async stream, cut into chunks of `size` (1 exercises every split point). */
export async function* chunks(data: string | Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export interface TestEngine {
  engine: Engine;
  client: ParleyClient;
  clock: ManualClock;
  dir: string;
  dispose(): Promise<void>;
}

/**
 * A real engine on a temp folder with a manual clock; the dialer ticks only when told. It has one
 * "real" line (a test double, see tests/support/lines.ts) whose limit is `lines` (default 20).
 */
export async function testEngine(options: { launcher?: CallLauncher; clock?: ManualClock; dir?: string; lines?: number } = {}): Promise<TestEngine> {
  const temp = options.dir ? undefined : tempDataDir('parley-dialer-');
  const dir = options.dir ?? temp!.dir;
  const clock = options.clock ?? new ManualClock();
  const engine = await createEngine({ dataDir: dir, clock, host: 'test', logLevel: 'warn', callLauncher: options.launcher, dialer: { mode: 'manual' }, carriers: testCarriers().factories });
  const existing = await engine.invoke('lines.list', {});
  if (existing.ok && (existing.result as unknown[]).length === 0) await addTestLine(engine, options.lines ?? 20);
  return {
    engine,
    client: createClient(engine.transport()),
    clock,
    dir,
    async dispose() {
      await engine.dispose();
      temp?.cleanup();
    },
  };
}

/**
 * Imports a file the way the importer does. Unless `consent: false`, every contact without a consent
 * record is then given prior express written consent (these lists stand for people who opted in),
 * so the dialer's consent check lets them be called.
 */
export async function importText(engine: Engine, data: string | Uint8Array, options: ImportOptionsInput & { consent?: boolean } = {}, chunkSize?: number): Promise<ImportReport> {
  const { consent = true, ...importOptions } = options;
  const report = await importCsv(chunks(data, chunkSize), ImportOptions.parse(importOptions), {
    sqlite: engine.context.store.sqlite,
    clock: engine.context.clock,
    fileName: 'test.csv',
  });
  if (consent) grantWrittenConsent(engine);
  return report;
}

/** Prior express written consent for every contact that has no consent record yet. */
export function grantWrittenConsent(engine: Engine): void {
  const store = new ConsentStore(engine.context.store.sqlite, engine.context.clock);
  const ids = engine.context.store.sqlite.prepare('select id from contacts c where not exists (select 1 from contact_consents k where k.contact_id = c.id)').pluck().all() as string[];
  for (const id of ids) store.set(id, { kind: 'prior-express-written', source: 'test list: opted in' }, 'test');
}

interface PendingCall {
  request: CallRequest;
  answer(by?: 'human' | 'machine'): void;
  end(outcome: DialOutcome, detail?: string): void;
}

/**
 * A call launcher for tests: each call stays open until the test ends it (or, with `autoOutcome`,
 * ends on the next macrotask with that outcome). Records every request.
 */
export class TestLauncher implements CallLauncher {
  readonly requests: CallRequest[] = [];
  readonly open = new Map<string, PendingCall>();
  constructor(private readonly autoOutcome?: (request: CallRequest) => DialOutcome) {}

  launch(request: CallRequest, progress?: { answered(by: 'human' | 'machine' | 'unknown'): void }): Promise<{ outcome: DialOutcome; detail?: string }> {
    this.requests.push(request);
    return new Promise((resolve) => {
      const call: PendingCall = {
        request,
        answer: (by = 'human') => progress?.answered(by),
        end: (outcome, detail) => {
          this.open.delete(request.callId);
          resolve({ outcome, detail });
        },
      };
      this.open.set(request.callId, call);
      if (this.autoOutcome) {
        const outcome = this.autoOutcome(request);
        setImmediate(() => call.end(outcome));
      }
    });
  }

  /** Ends every open call with `outcome`. */
  endAll(outcome: DialOutcome): number {
    const calls = [...this.open.values()];
    for (const call of calls) call.end(outcome);
    return calls.length;
  }
}
