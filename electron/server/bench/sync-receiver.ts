import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceiverFaults {
  /** Share of requests answered 500 before anything is recorded (0..1). */
  failShare?: number;
  /** Every Nth request is answered 429 with `Retry-After: retryAfterSeconds`. */
  throttleEvery?: number;
  retryAfterSeconds?: number;
  /** Every Nth request never answers (the sender must time out). */
  stallEvery?: number;
  /** Milliseconds before each answer. */
  delayMs?: number;
  random?: () => number;
}

/**
 * A local webhook receiver for the sync benchmark and the delivery tests: accepts a delivery once per
 * `webhook-id` (a repeat of an accepted id is counted as a duplicate and answered 200, as a real
 * receiver would), records the order in which each ordering subject's messages arrived, and injects
 * failures on request. `check` may refuse a request (a signature test).
 */
export class SyncReceiver {
  readonly accepted = new Map<string, { body: unknown; at: number; headers: IncomingMessage['headers'] }>();
  readonly arrivals: string[] = [];
  /** When each request came and how it was answered. */
  readonly log: Array<{ at: number; status: number }> = [];
  duplicates = 0;
  requests = 0;
  refused = 0;
  private server: Server | undefined;
  private readonly stalled = new Set<() => void>();

  constructor(
    private readonly faults: ReceiverFaults = {},
    private readonly check?: (headers: IncomingMessage['headers'], body: string) => string | null,
  ) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const n = ++this.requests;
        const f = this.faults;
        const answer = (status: number, headers: Record<string, string> = {}, text = '') => {
          this.log.push({ at: Date.now(), status });
          setTimeout(() => res.writeHead(status, headers).end(text), f.delayMs ?? 0);
        };
        if (f.stallEvery && n % f.stallEvery === 0) {
          this.stalled.add(() => res.destroy());
          return;
        }
        if (f.throttleEvery && n % f.throttleEvery === 0) return answer(429, { 'retry-after': String(f.retryAfterSeconds ?? 1) }, 'slow down');
        if (f.failShare && (f.random ?? Math.random)() < f.failShare) return answer(500, {}, 'injected failure');
        const body = Buffer.concat(chunks).toString('utf8');
        const problem = this.check?.(req.headers, body) ?? null;
        if (problem) {
          this.refused++;
          return answer(400, {}, problem);
        }
        const id = String(req.headers['webhook-id'] ?? '');
        if (this.accepted.has(id)) this.duplicates++;
        else {
          this.accepted.set(id, { body: JSON.parse(body), at: Date.now(), headers: req.headers });
          this.arrivals.push(id);
        }
        answer(200, { 'content-type': 'application/json' }, '{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const release of this.stalled) release();
    this.stalled.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
