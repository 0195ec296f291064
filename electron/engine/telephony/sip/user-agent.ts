import { lookup } from 'node:dns/promises';
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { SipLineSettings } from '../../../contracts';
import type { Logger } from '../../logging';
import { hostPort, newBranch, parseUri } from './address';
import { DigestError, DigestSession, parseChallenge } from './digest';
import { parseCSeq, SipHeaders, type SipRequest, type SipResponse } from './message';
import type { Destination, TransactionLayer } from './transactions';

export const USER_AGENT = 'Parley';
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY';

export class AuthFailure extends Error {}

export interface RequestParts {
  callId: string;
  from: string;
  to: string;
  cseq: number;
  /** Route set of a dialog, in order. */
  routes?: string[];
  body?: { type: string; content: string };
  extra?: Array<[string, string]>;
}

/**
 * What every SIP request of one line is built from: our address of record, Via and Contact (with
 * the address the server sees us at, RFC 3581), the server address, and digest answers to 401/407.
 */
export class UserAgent {
  /** The last challenge answered per kind (401 registrar, 407 proxy), reused on later requests. */
  private readonly digests = new Map<'authorization' | 'proxy-authorization', DigestSession>();

  constructor(
    readonly settings: SipLineSettings,
    private readonly secret: string | undefined,
    readonly layer: TransactionLayer,
    private readonly localPort: () => number,
    readonly localAddress: string,
    private readonly logger: Logger,
  ) {}

  get transport(): 'udp' | 'tcp' | 'tls' {
    return this.settings.transport;
  }

  get domain(): string {
    return this.settings.domain || this.settings.server;
  }

  get aor(): string {
    return `sip:${escapeUser(this.settings.username)}@${this.domain}`;
  }

  /** A number or extension as a SIP URI in our domain. */
  uriFor(target: string): string {
    if (/^sips?:/i.test(target)) return target;
    return `sip:${escapeUser(target.replace(/[^0-9A-Za-z+*#._-]/g, ''))}@${this.domain}`;
  }

  contact(): string {
    const seen = this.layer.publicAddress;
    const host = seen?.address ?? this.localAddress;
    const port = seen?.port ?? this.localPort();
    const params = this.transport === 'udp' ? '' : `;transport=${this.transport}`;
    return `<sip:${escapeUser(this.settings.username)}@${hostPort(host, port)}${params}>`;
  }

  via(branch = newBranch()): string {
    return `SIP/2.0/${this.transport.toUpperCase()} ${hostPort(this.localAddress, this.localPort())};branch=${branch};rport`;
  }

  request(method: string, uri: string, parts: RequestParts): SipRequest {
    const headers = new SipHeaders()
      .append('via', this.via())
      .append('max-forwards', '70');
    for (const route of parts.routes ?? []) headers.append('route', route);
    headers
      .append('from', parts.from)
      .append('to', parts.to)
      .append('call-id', parts.callId)
      .append('cseq', `${parts.cseq} ${method}`)
      .append('user-agent', USER_AGENT);
    if (method !== 'ACK' && method !== 'CANCEL') headers.append('contact', this.contact());
    for (const [name, value] of parts.extra ?? []) headers.append(name, value);
    let body = '';
    if (parts.body) {
      headers.append('content-type', parts.body.type);
      body = parts.body.content;
    }
    return { kind: 'request', method, uri, headers, body };
  }

  /** The server (or outbound proxy) our out-of-dialog requests go to. */
  async serverDestination(): Promise<Destination> {
    const proxy = this.settings.outboundProxy;
    if (proxy) {
      const uri = parseUri(/^sips?:/i.test(proxy) ? proxy : `sip:${proxy}`);
      if (uri) return { address: await resolveHost(uri.host), port: uri.port ?? 5060 };
    }
    return { address: await resolveHost(this.settings.server), port: this.settings.port };
  }

  /** Where an in-dialog request goes: the first route if any (loose routing), else the remote target. */
  async destinationFor(target: string, routes: string[]): Promise<Destination> {
    if (this.settings.outboundProxy) return this.serverDestination();
    const first = routes[0]?.replace(/^.*<|>.*$/g, '') ?? target;
    const uri = parseUri(first);
    if (!uri || uri.scheme === 'tel') return this.serverDestination();
    return { address: await resolveHost(uri.host), port: uri.port ?? 5060 };
  }

  /**
   * Sends a request and answers digest challenges (a second try per challenge; a stale nonce may try
   * again). `onSend` sees each request as sent (a CANCEL must copy the INVITE's branch).
   */
  async send(
    request: SipRequest,
    to: Destination,
    options: { provisional?: (r: SipResponse) => void; onSend?: (r: SipRequest) => void } = {},
  ): Promise<SipResponse> {
    let current = this.authorize(request);
    for (let attempt = 0; attempt < 3; attempt++) {
      options.onSend?.(current);
      const response = await this.layer.request(current, to, options.provisional);
      if (response.status !== 401 && response.status !== 407) return response;
      const header = response.status === 401 ? 'www-authenticate' : 'proxy-authenticate';
      const value = response.headers.all(header).find((v) => /algorithm=("?)SHA-256\1/i.test(v)) ?? response.headers.get(header);
      if (!value) throw new AuthFailure(`${response.status} ${response.reason} without a challenge`);
      if (this.secret === undefined) throw new AuthFailure(`${response.status} ${response.reason}: the server asks for a password and the line has none`);
      let challenge;
      try {
        challenge = parseChallenge(value);
      } catch (error) {
        throw new AuthFailure(`${response.status} ${response.reason}: ${(error as DigestError).message}`);
      }
      const kind = response.status === 401 ? 'authorization' : 'proxy-authorization';
      if (attempt > 0 && !challenge.stale) {
        throw new AuthFailure(`${response.status} ${response.reason} from ${this.settings.server}: wrong user name or password`);
      }
      const username = this.settings.authUsername || this.settings.username;
      this.digests.set(kind, new DigestSession(challenge, { username, password: this.secret }));
      const seq = parseCSeq(current.headers.get('cseq'))!.seq + 1;
      const next = { ...current, headers: current.headers.copy() };
      next.headers.replaceFirst('via', this.via());
      next.headers.set('cseq', `${seq} ${current.method}`);
      current = this.authorize(next);
    }
    throw new AuthFailure(`the server at ${this.settings.server} kept challenging: wrong user name or password`);
  }

  /** Adds our current digest answer, if the server has challenged us before. */
  private authorize(request: SipRequest): SipRequest {
    if (this.digests.size === 0 || request.method === 'ACK' || request.method === 'CANCEL') return request;
    const headers = request.headers.copy();
    headers.delete('authorization').delete('proxy-authorization');
    for (const [header, session] of this.digests) headers.append(header, session.authorize(request.method, request.uri));
    return { ...request, headers };
  }

  log(): Logger {
    return this.logger;
  }
}

/** Escapes a URI user part (RFC 3261 25.1): unreserved and user-unreserved characters stay as they are. */
export function escapeUser(user: string): string {
  return user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) => encodeURIComponent(c));
}

export async function resolveHost(host: string): Promise<string> {
  if (isIP(host)) return host;
  return (await lookup(host)).address;
}

/** The local address the OS would use to reach `server` (for Via, Contact and SDP when bound to any). */
export async function localAddressFor(server: Destination, bound: string | undefined): Promise<string> {
  if (bound && bound !== '0.0.0.0' && bound !== '::') return bound;
  const socket = createSocket(server.address.includes(':') ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(server.port, server.address, () => resolve());
    });
    return socket.address().address;
  } finally {
    socket.close();
  }
}
