import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type FakeHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** Queues the handler for the next request (FIFO). */
  next(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** A scriptable HTTP server on 127.0.0.1 standing in for a model or voice API. */
export async function startFakeHttpServer(): Promise<FakeHttpServer> {
  const handlers: FakeHandler[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text
      }
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      requests.push(request);
      const handler = handlers.shift();
      if (!handler) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no scripted response' } }));
        return;
      }
      void handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    next: (handler) => handlers.push(handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers with server-sent events, `gapMs` apart, then closes (unless `stallAfter` says to hang). */
export function sseResponse(events: Array<{ event?: string; data: unknown }>, options: { gapMs?: number; stallAfter?: number } = {}): FakeHandler {
  return async (_request, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const [i, event] of events.entries()) {
      if (options.stallAfter !== undefined && i >= options.stallAfter) return; // hang with the connection open
      const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
      res.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${data}\n\n`);
      if (options.gapMs) await sleep(options.gapMs);
    }
    res.end();
  };
}

export function jsonResponse(status: number, body: unknown): FakeHandler {
  return (_request, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
}

/** Accepts the request and never answers. */
export const hangingResponse: FakeHandler = () => undefined;
