import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { CONSOLE_CSP, roleAtLeast, RPC_PATH, type Actor } from '../contracts';

import type { Engine, Logger } from '../engine';
import { createHostCheck, isLoopbackAddress, isLoopbackBind } from './host-check';
import { serveRpcSocket, SOCKET_MAX_PAYLOAD } from './rpc-socket';
import { isRecordingRequest, serveRecording } from './recordings-route';
import { isApiRequest, serveApi } from './rest-api/serve';
import type { TlsMaterial } from './tls';
import { ConnectionGate, DEFAULT_SOCKET_LIMITS, type SocketLimits } from './socket-limits';

export interface ServerOptions {
  engine: Engine;
  logger: Logger;
  /** Built renderer (out/renderer); the console is served from here. */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Extra hostnames clients may use to reach this server (besides loopback and the bound address). */
  allowHosts?: string[];
  version: string;
  /** Milliseconds a socket may stay open without signing in. */
  authTimeoutMs?: number;
  /** Serve HTTPS and WSS with this certificate. */
  tls?: TlsMaterial;
  /** Caps on sockets (count, unauthenticated, queued bytes, frame size, command rate); defaults in socket-limits.ts. */
  socketLimits?: Partial<SocketLimits>;
}

export interface RunningServer {
  url: string;
  /** The same server through loopback (sign-in links work only there). */
  localUrl: string;
  /** SHA-256 fingerprint of the TLS certificate; null when serving plain HTTP. */
  tlsFingerprint: string | null;
  port: number;
  host: string;
  close(): Promise<void>;
}


/**
 * A request's signed-in user of at least `role`, from `Authorization: Bearer <session token>`; when
 * there is none, the 401/403 JSON answer has been sent and undefined comes back.
 */
function bearerActor(req: IncomingMessage, res: ServerResponse, engine: Engine, role: 'manager', what: string): Actor | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const actor = token ? engine.context.access.authenticate(token, req.socket.remoteAddress ?? 'unknown') : undefined;
  const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
  if (!actor) return void json(401, { error: { code: 'unauthorized', message: 'Send a session token: Authorization: Bearer <token>' } });
  if (!roleAtLeast(actor.role, role)) return void json(403, { error: { code: 'forbidden', message: `${what} needs the ${role} role` } });
  return actor;
}

/**
 * `GET /ready`: 200 when every check passes, else 503, with each check and its reason. It says how the
 * office runs (disk, lines), so unlike `/health` it needs a signed-in manager's bearer token.
 */
function serveReadiness(req: IncomingMessage, res: ServerResponse, engine: Engine): void {
  if (!bearerActor(req, res, engine, 'manager', '/ready')) return;
  const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
  engine.readiness().then(
    (report) => json(report.ready ? 200 : 503, report),
    (error: unknown) => json(503, { ready: false, checks: [], error: (error as Error).message }),
  );
}

/** `GET /metrics`: Prometheus exposition, for a manager's bearer token (Prometheus `authorization` / `bearer_token_file`). */
function serveMetrics(req: IncomingMessage, res: ServerResponse, engine: Engine): void {
  if (!bearerActor(req, res, engine, 'manager', '/metrics')) return;
  engine.metrics().then(
    ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body),
    (error: unknown) => res.writeHead(503, { 'Content-Type': 'text/plain' }).end(`metrics unavailable: ${(error as Error).message}`),
  );
}

/** `parley serve`: the console, `/health`, call recordings and the WebSocket RPC, on loopback unless told otherwise. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const startedAt = Date.now();
  const hostCheck = createHostCheck(host, options.allowHosts);
  const statics = sirv(options.rendererDir, {
    single: true,
    etag: true,
    setHeaders: (res) => {
      res.setHeader('Content-Security-Policy', `${CONSOLE_CSP}; frame-ancestors 'none'`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
    },
  });

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const allowed = hostCheck.requestAllowed(req);
    if (!allowed.ok) {
      res.writeHead(allowed.status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(allowed.reason);
      return;
    }
    if (req.url === '/health' || req.url?.startsWith('/health?')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      // Liveness only: still 200 when something is failing, with one word per failing part (details: /ready).
      const degraded = options.engine.degraded();
      res.end(JSON.stringify({ status: degraded.length === 0 ? 'ok' : 'degraded', ...(degraded.length > 0 ? { degraded } : {}), version: options.version, uptimeMs: Date.now() - startedAt }));
      return;
    }
    if (req.url === '/ready' || req.url?.startsWith('/ready?')) {
      serveReadiness(req, res, options.engine);
      return;
    }
    if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) {
      serveMetrics(req, res, options.engine);
      return;
    }
    if (isApiRequest(req.url)) {
      serveApi(req, res, options.engine).catch((error: unknown) => {
        options.logger.error({ err: error }, 'REST API request failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }));
      });
      return;
    }
    if (isRecordingRequest(req.url)) {
      serveRecording(req, res, options.engine, options.logger, req.socket.remoteAddress ?? 'unknown');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    statics(req, res, () => {
      res.writeHead(404).end('Not found');
    });
  };
  const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler);

  const limits: SocketLimits = { ...DEFAULT_SOCKET_LIMITS, ...options.socketLimits };
  const gate = new ConnectionGate(limits);
  const wss = new WebSocketServer({ noServer: true, maxPayload: SOCKET_MAX_PAYLOAD });
  server.on('upgrade', (req, socket, head) => {
    const allowed = hostCheck.requestAllowed(req);
    if (!allowed.ok) {
      socket.end(`HTTP/1.1 ${allowed.status} ${allowed.status === 421 ? 'Misdirected Request' : 'Forbidden'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (path !== RPC_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const admitted = gate.admit();
    if (!admitted.ok) {
      options.logger.warn({ address, ...gate.counts }, 'refused a socket: %s', admitted.reason);
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n\r\n${admitted.reason}`);
      return;
    }
    const peer = { address, loopback: isLoopbackAddress(address) };
    socket.once('close', () => admitted.ticket.release());
    wss.handleUpgrade(req, socket, head, (ws) => serveRpcSocket(ws, options.engine, options.logger, peer, options.authTimeoutMs, { limits, ticket: admitted.ticket }));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7399, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const scheme = options.tls ? 'https' : 'http';
  options.logger.info({ host, port }, 'server listening');

  return {
    url: `${scheme}://${shownHost}:${port}`,
    localUrl: `${scheme}://${isLoopbackBind(host) ? shownHost : '127.0.0.1'}:${port}`,
    tlsFingerprint: options.tls?.fingerprint256 ?? null,
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
