import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/** How one path misbehaves; every option is off by default (a plain, range-capable file server). */
export interface PathBehaviour {
  /** Answer Range requests with 206; false ignores Range and sends the whole file (200). */
  ranges?: boolean;
  /** For the first N requests to this path, destroy the socket after this many body bytes. */
  dropAfterBytes?: number;
  dropTimes?: number;
  contentType?: string;
  /** Bytes per second; 0 = as fast as possible. */
  throttleBytesPerSecond?: number;
  /** Replace the body (e.g. an HTML login page) while keeping the path. */
  body?: Buffer;
  status?: number;
}

export interface RequestLog {
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
  /** Body bytes actually written before the response ended or the socket was cut. */
  sentBytes: number;
}

export interface FixtureServer {
  url: string;
  /** `${url}/files/<name>` */
  fileUrl(name: string): string;
  requests: RequestLog[];
  behave(name: string, behaviour: PathBehaviour): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server serving model files the way Hugging Face does (Range, strong ETag) and,
 * on request, the ways real servers fail: cut connections, no range support, HTML instead of a file.
 */
export async function startFixtureServer(files: Record<string, string | Buffer>): Promise<FixtureServer> {
  const bodies = new Map<string, Buffer>();
  for (const [name, source] of Object.entries(files)) bodies.set(name, typeof source === 'string' ? readFileSync(source) : source);
  const behaviours = new Map<string, PathBehaviour>();
  const drops = new Map<string, number>();
  const requests: RequestLog[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/files\//, '').split('?')[0]!);
    const behaviour = behaviours.get(name) ?? {};
    const log: RequestLog = { path: name, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined, status: 0, sentBytes: 0 };
    requests.push(log);
    const whole = behaviour.body ?? bodies.get(name);
    if (!whole || behaviour.status) {
      log.status = behaviour.status ?? 404;
      res.writeHead(log.status, { 'Content-Type': 'text/plain' }).end('not here');
      return;
    }
    const etag = `"${createHash('sha256').update(whole).digest('hex').slice(0, 16)}"`;
    let start = 0;
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRangeOk = !req.headers['if-range'] || req.headers['if-range'] === etag;
    const headers: Record<string, string | number> = {
      'Content-Type': behaviour.contentType ?? 'application/octet-stream',
      ETag: etag,
    };
    if (match && behaviour.ranges !== false && ifRangeOk) {
      start = Number(match[1]);
      if (start >= whole.length) {
        log.status = 416;
        res.writeHead(416, { 'Content-Range': `bytes */${whole.length}` }).end();
        return;
      }
      log.status = 206;
      headers['Content-Range'] = `bytes ${start}-${whole.length - 1}/${whole.length}`;
    } else {
      log.status = 200;
    }
    if (behaviour.ranges !== false) headers['Accept-Ranges'] = 'bytes';
    const body = whole.subarray(start);
    headers['Content-Length'] = body.length;
    res.writeHead(log.status, headers);
    const dropsSoFar = drops.get(name) ?? 0;
    const dropAt = behaviour.dropAfterBytes !== undefined && dropsSoFar < (behaviour.dropTimes ?? 1) ? behaviour.dropAfterBytes : undefined;
    if (dropAt !== undefined) drops.set(name, dropsSoFar + 1);
    void send(res, body, log, dropAt, behaviour.throttleBytesPerSecond ?? 0);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    fileUrl: (name) => `${url}/files/${encodeURIComponent(name)}`,
    requests,
    behave: (name, behaviour) => behaviours.set(name, behaviour),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function send(res: ServerResponse, body: Buffer, log: RequestLog, dropAt: number | undefined, bytesPerSecond: number): Promise<void> {
  const chunk = 16 * 1024;
  for (let offset = 0; offset < body.length; offset += chunk) {
    if (res.destroyed) return;
    let piece = body.subarray(offset, offset + chunk);
    if (dropAt !== undefined && offset + piece.length >= dropAt) {
      piece = piece.subarray(0, dropAt - offset);
      await write(res, piece);
      log.sentBytes += piece.length;
      // Cut the connection mid-body, as a flaky network or a restarted proxy does.
      res.socket?.destroy();
      return;
    }
    await write(res, piece);
    log.sentBytes += piece.length;
    if (bytesPerSecond > 0) await new Promise((r) => setTimeout(r, (piece.length / bytesPerSecond) * 1000));
  }
  res.end();
}

function write(res: ServerResponse, data: Buffer): Promise<void> {
  if (res.write(data)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
