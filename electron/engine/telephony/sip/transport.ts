import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { connect as connectTls, rootCertificates } from 'node:tls';
import type { Logger } from '../../logging';
import { hostPort } from './address';
import { MAX_MESSAGE_BYTES } from './message';

/** Where a message came from or goes to, and over what. */
export type TransportKind = 'udp' | 'tcp' | 'tls';

export interface Flow {
  transport: TransportKind;
  address: string;
  port: number;
}

export type DatagramHandler = (data: Buffer, flow: Flow) => void;

export interface TransportOptions {
  transport: TransportKind;
  localAddress: string | undefined;
  localPort: number;
  logger: Logger;
  connectTimeoutMs?: number;
  /** TLS: the server's name for certificate checks, and extra CA certificates to trust (PEM). */
  tls?: { servername?: string; ca?: string };
}

/**
 * SIP over UDP (one datagram, one message), TCP or TLS (a stream framed by Content-Length, RFC 3261
 * 18.3). A TCP line connects out to its server and also listens on the same port for requests that
 * come back on new connections; a TLS line only connects out (the server's certificate is checked)
 * and takes requests on that connection. Every received message goes to one handler, which never sees an exception
 * from here and must not throw into it.
 */
export class SipTransport {
  private udp: UdpSocket | undefined;
  private server: Server | undefined;
  private readonly connections = new Map<string, TcpSocket>();
  private readonly pending = new Map<string, Promise<TcpSocket>>();
  private handler: DatagramHandler = () => {};
  private boundPort = 0;
  private closed = false;

  constructor(private readonly options: TransportOptions) {}

  get kind(): TransportKind {
    return this.options.transport;
  }

  get port(): number {
    return this.boundPort;
  }

  onMessage(handler: DatagramHandler): void {
    this.handler = handler;
  }

  async start(): Promise<void> {
    const host = this.options.localAddress ?? '0.0.0.0';
    if (this.options.transport === 'tls') return;
    if (this.options.transport === 'udp') {
      const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
      socket.on('message', (data, info) => this.deliver(data, { transport: 'udp', address: info.address, port: info.port }));
      socket.on('error', (error) => this.options.logger.warn({ err: error.message }, 'SIP UDP socket error'));
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(this.options.localPort, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      this.udp = socket;
      this.boundPort = socket.address().port;
      return;
    }
    const server = createServer((socket) => this.adopt(socket));
    server.on('error', (error) => this.options.logger.warn({ err: error.message }, 'SIP TCP listener error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.localPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : 0;
  }

  private deliver(data: Buffer, flow: Flow): void {
    try {
      this.handler(data, flow);
    } catch (error) {
      this.options.logger.error({ err: (error as Error).message, from: hostPort(flow.address, flow.port) }, 'SIP message handler failed');
    }
  }

  /** Reads framed messages off a TCP connection, ours or accepted. */
  private adopt(socket: TcpSocket): void {
    const remote = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const key = hostPort(remote.address, remote.port);
    this.connections.set(key, socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let guard = 0; guard < 64; guard++) {
        // Keep-alive CRLFs between messages (RFC 5626 3.5.1) are skipped.
        let start = 0;
        while (start + 1 < buffer.length && buffer[start] === 13 && buffer[start + 1] === 10) start += 2;
        if (start > 0) buffer = buffer.subarray(start);
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buffer.length > MAX_MESSAGE_BYTES) {
            this.options.logger.warn({ from: key, bytes: buffer.length }, 'SIP over TCP: headers over the size limit, connection closed');
            socket.destroy();
          }
          return;
        }
        const head = buffer.subarray(0, end).toString('utf8');
        const lengthMatch = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)/im.exec(head);
        if (!lengthMatch) {
          this.options.logger.warn({ from: key }, 'SIP over TCP: message without Content-Length, connection closed');
          socket.destroy();
          return;
        }
        const total = end + 4 + Number(lengthMatch[1]);
        if (total > MAX_MESSAGE_BYTES) {
          this.options.logger.warn({ from: key, bytes: total }, 'SIP over TCP: message over the size limit, connection closed');
          socket.destroy();
          return;
        }
        if (buffer.length < total) return;
        const message = buffer.subarray(0, total);
        buffer = buffer.subarray(total);
        this.deliver(Buffer.from(message), { transport: this.options.transport, ...remote });
      }
    });
    socket.on('error', (error) => this.options.logger.debug({ err: error.message, remote: key }, 'SIP TCP connection error'));
    socket.on('close', () => {
      if (this.connections.get(key) === socket) this.connections.delete(key);
    });
  }

  private async connectTo(address: string, port: number): Promise<TcpSocket> {
    const key = hostPort(address, port);
    const open = this.connections.get(key);
    if (open && !open.destroyed) return open;
    const inflight = this.pending.get(key);
    if (inflight) return inflight;
    const attempt = new Promise<TcpSocket>((resolve, reject) => {
      const tls = this.options.transport === 'tls';
      const socket = tls
        ? connectTls({
            host: address,
            port,
            servername: this.options.tls?.servername,
            // Extra CAs are trusted besides the system's, not instead of them.
            ca: this.options.tls?.ca ? [...rootCertificates, this.options.tls.ca] : undefined,
            rejectUnauthorized: true,
          })
        : connect({ host: address, port, localAddress: this.options.localAddress });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`TCP connect to ${key} timed out`));
      }, this.options.connectTimeoutMs ?? 5_000);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        if (tls) this.boundPort = socket.localPort ?? 0;
        this.adopt(socket);
        // Requests we send on this connection are answered on it; key it by the address we dialled.
        this.connections.set(key, socket);
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    }).finally(() => this.pending.delete(key));
    this.pending.set(key, attempt);
    return attempt;
  }

  /** TLS: opens the connection to the server now, so Via and Contact can name our end of it. */
  async open(to: { address: string; port: number }): Promise<void> {
    if (this.options.transport === 'tls') await this.connectTo(to.address, to.port);
  }

  /** Sends one message; rejects when the network refuses (no route, TCP refused, bad certificate). */
  async send(data: Buffer, to: { address: string; port: number }): Promise<void> {
    if (this.closed) throw new Error('SIP transport is closed');
    if (this.options.transport === 'udp') {
      const socket = this.udp;
      if (!socket) throw new Error('SIP transport not started');
      await new Promise<void>((resolve, reject) => socket.send(data, to.port, to.address, (error) => (error ? reject(error) : resolve())));
      return;
    }
    const socket = await this.connectTo(to.address, to.port);
    await new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
    if (this.udp) {
      const socket = this.udp;
      this.udp = undefined;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
    if (this.server) {
      const server = this.server;
      this.server = undefined;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
