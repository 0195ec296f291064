import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Asterisk's side of an AudioSocket connection, written from the protocol document alone (not from
 * Parley's codec): 1-byte kind, 2-byte big-endian length, payload; audio is 16-bit little-endian.
 */
export interface Received {
  kind: number;
  payload: Buffer;
  at: number;
}

export class AsteriskSocketClient {
  readonly received: Received[] = [];
  closed = false;
  private buffer = Buffer.alloc(0);
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 3) {
        const length = (this.buffer[1]! << 8) | this.buffer[2]!;
        if (this.buffer.length < 3 + length) break;
        this.received.push({ kind: this.buffer[0]!, payload: Buffer.from(this.buffer.subarray(3, 3 + length)), at: performance.now() });
        this.buffer = this.buffer.subarray(3 + length);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<AsteriskSocketClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new AsteriskSocketClient(socket)));
      socket.once('error', reject);
    });
  }

  send(kind: number, payload: Uint8Array = new Uint8Array(0)): void {
    this.socket.write(Buffer.concat([Buffer.from([kind, payload.length >> 8, payload.length & 0xff]), payload]));
  }

  raw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  sendUuid(uuid: string): void {
    this.send(0x01, Buffer.from(uuid.replace(/-/g, ''), 'hex'));
  }

  sendAudio(samples: Int16Array, kind = 0x10): void {
    const payload = Buffer.alloc(samples.length * 2);
    samples.forEach((s, i) => payload.writeInt16LE(s, i * 2));
    this.send(kind, payload);
  }

  audio(kind = 0x10): Received[] {
    return this.received.filter((m) => m.kind === kind);
  }

  close(): void {
    this.socket.destroy();
  }
}

export const samplesOf = (payload: Buffer): Int16Array => Int16Array.from({ length: payload.length / 2 }, (_, i) => payload.readInt16LE(i * 2));

export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface AriRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
}

/** A stand-in for Asterisk's REST Interface: records requests, answers with what a test scripted. */
export class FakeAri {
  readonly requests: AriRequest[] = [];
  respond: (request: AriRequest) => { status: number; body?: unknown } = () => ({ status: 404, body: { message: 'not scripted' } });
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeAri> {
    const holder: { fake?: FakeAri } = {};
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const text = Buffer.concat(chunks).toString();
        const request: AriRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: text ? (JSON.parse(text) as unknown) : undefined, authorization: req.headers.authorization };
        holder.fake!.requests.push(request);
        const answer = holder.fake!.respond(request);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    const fake = new FakeAri(server);
    holder.fake = fake;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ari`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
