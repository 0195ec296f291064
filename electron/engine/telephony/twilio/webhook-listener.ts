import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../logging';

/**
 * The one listener Twilio reaches, apart from the console and the RPC server: it answers
 * `/twilio/<line>/...` only (form webhooks and the Media Streams socket), each request's
 * `X-Twilio-Signature` checked against the public URL Twilio called, everything else 404 without a
 * word about what else runs on this machine. A tunnel forwards to this listener and nothing else.
 */

const MAX_FORM_BYTES = 64 * 1024;
/** A Media Streams message is small (a 20 ms media chunk is about 300 bytes). */
const MAX_STREAM_MESSAGE = 64 * 1024;
const MAX_SOCKETS = 600;
const PROBE_TIMEOUT_MS = 5_000;

export type Verify = (signature: string, url: string, params: Record<string, string>) => boolean;

export interface FormReply {
  status: number;
  body: string;
  contentType?: string;
}

export interface TwilioRoutes {
  /** A POSTed webhook under `/twilio/<line>/`: `path` is the rest after that prefix. */
  form(path: string[], params: Record<string, string>): Promise<FormReply>;
  /** Whether a stream may open at this path (its per-call token is live); checked before the upgrade. */
  streamAllowed(path: string[]): boolean;
  stream(path: string[], socket: WebSocket): void;
}

export interface WebhookListenerOptions {
  lineId: string;
  host: string;
  port: number;
  logger: Logger;
  verify: Verify;
  routes: TwilioRoutes;
}

export class TwilioWebhookListener {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_STREAM_MESSAGE });
  private readonly sockets = new Set<Socket>();
  /** Answers reachability probes: only this listener can compute the answer. */
  private readonly probeKey = randomBytes(16).toString('hex');
  private publicBase: string | undefined;
  private readonly prefix: string;
  readonly listening: Promise<AddressInfo>;

  constructor(private readonly options: WebhookListenerOptions) {
    this.prefix = `/twilio/${options.lineId}/`;
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 15_000;
    this.server.on('connection', (socket) => {
      if (this.sockets.size >= MAX_SOCKETS) return void socket.destroy();
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
    this.listening = new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(options.port, options.host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
    this.listening.catch(() => undefined);
  }

  /** The public base URL Twilio uses (https://...); signatures are checked against it. */
  setPublicBase(url: string): void {
    this.publicBase = url.replace(/\/+$/, '');
  }

  /** The public URL of a path under this line's prefix (`https` for webhooks, `wss` for the stream). */
  url(path: string, scheme: 'http' | 'ws' = 'http'): string {
    if (!this.publicBase) throw new Error('The Twilio line has no public address yet');
    const base = scheme === 'ws' ? this.publicBase.replace(/^http/, 'ws') : this.publicBase;
    return `${base}${this.prefix}${path}`;
  }

  /** What a probe of `nonce` must answer. */
  probeAnswer(nonce: string): string {
    return createHash('sha256').update(`${this.probeKey}:${nonce}`).digest('hex');
  }

  /** Fetches a nonce through the public URL: only this listener knows the answer, so a reply proves the URL reaches it. */
  async probePublicUrl(): Promise<{ ok: boolean; detail: string }> {
    const nonce = randomBytes(12).toString('hex');
    try {
      const response = await fetch(this.url(`probe/${nonce}`), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      const body = await response.text();
      if (response.ok && body === this.probeAnswer(nonce)) return { ok: true, detail: `${this.publicBase} reaches this line's webhook listener` };
      return { ok: false, detail: `${this.publicBase} answered (${response.status}) but not from this line's webhook listener: check the reverse proxy` };
    } catch (error) {
      return { ok: false, detail: `${this.publicBase} is not reachable from here (${(error as Error).message}): Twilio cannot reach the line either` };
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private path(rawUrl: string | undefined): string[] | undefined {
    const pathname = (rawUrl ?? '').split('?')[0]!;
    if (!pathname.startsWith(this.prefix)) return undefined;
    const parts = pathname.slice(this.prefix.length).split('/').filter(Boolean);
    return parts.length > 0 && parts.length <= 3 && parts.every((p) => /^[A-Za-z0-9_-]{1,80}$/.test(p)) ? parts : undefined;
  }

  private refuse(req: IncomingMessage, status: number, why: string): void {
    this.options.logger.warn({ line: this.options.lineId, method: req.method, path: (req.url ?? '').split('?')[0], remote: req.socket.remoteAddress, status }, `Twilio webhook refused: ${why}`);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body = '', contentType = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    };
    const path = this.path(req.url);
    if (!path) return reply(404, 'Not found');
    if (req.method === 'GET' && path[0] === 'probe' && path[1]) return reply(200, this.probeAnswer(path[1]));
    if (req.method !== 'POST') return reply(405, 'Method not allowed');
    let params: Record<string, string>;
    try {
      params = await readForm(req);
    } catch (error) {
      this.refuse(req, 400, (error as Error).message);
      return reply(400, 'Bad request');
    }
    const signature = req.headers['x-twilio-signature'];
    if (!this.publicBase || typeof signature !== 'string' || !this.options.verify(signature, this.publicBase + (req.url ?? ''), params)) {
      this.refuse(req, 403, typeof signature === 'string' ? 'the signature does not match' : 'no X-Twilio-Signature');
      return reply(403, 'Forbidden');
    }
    try {
      const answer = await this.options.routes.form(path, params);
      if (answer.status === 403) this.refuse(req, 403, answer.body);
      reply(answer.status, answer.status === 403 ? 'Forbidden' : answer.body, answer.contentType);
    } catch (error) {
      this.options.logger.warn({ line: this.options.lineId, err: error }, 'Twilio webhook failed');
      reply(500, 'Internal error');
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const deny = (status: number, why: string) => {
      this.refuse(req, status, why);
      socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const path = this.path(req.url);
    if (!path || path[0] !== 'stream') return deny(404, 'not a stream path');
    const signature = req.headers['x-twilio-signature'];
    const url = this.publicBase ? this.publicBase.replace(/^http/, 'ws') + (req.url ?? '') : undefined;
    if (!url || typeof signature !== 'string' || !this.options.verify(signature, url, {})) return deny(403, typeof signature === 'string' ? 'the stream signature does not match' : 'no X-Twilio-Signature on the stream');
    if (!this.options.routes.streamAllowed(path)) return deny(403, 'the stream names no live call (replayed or expired)');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.options.routes.stream(path, ws));
  }
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const type = String(req.headers['content-type'] ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error(`a body over ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new Error(`a ${type || 'typeless'} body (Twilio posts forms)`);
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[key] = value;
  return params;
}
