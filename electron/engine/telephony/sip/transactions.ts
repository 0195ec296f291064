import type { Logger } from '../../logging';
import { hostPort, parseVia } from './address';
import {
  createResponse, missingMandatory, parseCSeq, parseMessage, salvageRequest, serialize, SipParseError,
  type SipRequest, type SipResponse,
} from './message';
import type { Flow, SipTransport } from './transport';

/** RFC 3261 17: client and server transactions over one transport, with the UDP retransmission timers. */

export interface Timers {
  /** RTT estimate (T1), 500 ms by default. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests (T2), 4 s. */
  t2: number;
}

export const DEFAULT_TIMERS: Timers = { t1: 500, t2: 4_000 };

/** How long an INVITE may stay in Proceeding (RFC 3261 Timer C is "greater than 3 minutes"). */
const PROCEEDING_LIMIT_MS = 181_000;

export class TransactionError extends Error {
  constructor(message: string, readonly kind: 'timeout' | 'transport') {
    super(message);
  }
}

export interface Destination {
  address: string;
  port: number;
}

interface ClientTransaction {
  request: SipRequest;
  data: Buffer;
  to: Destination;
  provisional: (response: SipResponse) => void;
  resolve: (response: SipResponse) => void;
  fail: (error: Error) => void;
  timers: Array<ReturnType<typeof setTimeout>>;
  done: boolean;
  /** Sent for non-2xx finals to an INVITE; resent when the final is retransmitted. */
  ack?: Buffer;
}

/** A request received, answered through `respond` (retransmissions are absorbed and re-answered). */
export interface ServerTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  respond(response: SipResponse): void;
  /** Convenience: a response built from the request. */
  reply(status: number, reason: string, toTag?: string): SipResponse;
}

interface ServerEntry {
  last: Buffer | undefined;
  to: Destination;
  timers: Array<ReturnType<typeof setTimeout>>;
  acked: boolean;
}

export type RequestHandler = (transaction: ServerTransaction) => void;

export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerEntry>();
  /** 2xx to INVITE awaiting ACK, by Call-ID and CSeq number (the ACK has its own branch). */
  private readonly awaitingAck = new Map<string, ServerEntry>();
  /** ACKs we sent for 2xx, resent when the 2xx is retransmitted. */
  private readonly sentAcks = new Map<string, { data: Buffer; to: Destination; timer: ReturnType<typeof setTimeout> }>();
  private handler: RequestHandler = () => {};
  private ackHandler: (request: SipRequest, flow: Flow) => void = () => {};
  /** Learned from the top Via of responses (RFC 3581): how the server sees us. */
  public publicAddress: Destination | undefined;
  private closed = false;

  constructor(
    private readonly transport: SipTransport,
    private readonly logger: Logger,
    private readonly timers: Timers = DEFAULT_TIMERS,
  ) {
    transport.onMessage((data, flow) => this.receive(data, flow));
  }

  onRequest(handler: RequestHandler): void {
    this.handler = handler;
  }

  /** ACKs for 2xx (end-to-end, outside any transaction). */
  onAck(handler: (request: SipRequest, flow: Flow) => void): void {
    this.ackHandler = handler;
  }

  private get reliable(): boolean {
    return this.transport.kind !== 'udp';
  }

  /** Sends a request and resolves with its final response; rejects on timeout (Timer B/F) or transport error. */
  request(request: SipRequest, to: Destination, provisional: (response: SipResponse) => void = () => {}): Promise<SipResponse> {
    const branch = parseVia(request.headers.get('via'))?.params.branch;
    if (!branch) return Promise.reject(new Error('request without a Via branch'));
    const key = `${branch}|${request.method === 'ACK' ? 'INVITE' : request.method}`;
    const data = serialize(request);
    return new Promise<SipResponse>((resolve, reject) => {
      const fail = (error: Error): void => {
        if (tx.done) return;
        tx.done = true;
        this.clearClient(key, tx);
        reject(error);
      };
      const tx: ClientTransaction = { request, data, to, provisional, resolve, fail, timers: [], done: false };
      this.clients.set(key, tx);
      this.transport.send(data, to).catch((error: Error) => fail(new TransactionError(`${request.method} to ${hostPort(to.address, to.port)}: ${error.message}`, 'transport')));
      const { t1, t2 } = this.timers;
      if (!this.reliable) {
        const isInvite = request.method === 'INVITE';
        let interval = t1;
        const retransmit = (): void => {
          if (tx.done) return;
          this.transport.send(data, to).catch(() => {});
          interval = isInvite ? interval * 2 : Math.min(interval * 2, t2);
          tx.timers.push(setTimeout(retransmit, interval));
        };
        tx.timers.push(setTimeout(retransmit, interval));
      }
      tx.timers.push(setTimeout(() => fail(new TransactionError(`no answer to ${request.method} from ${hostPort(to.address, to.port)} in ${(64 * t1) / 1000} s`, 'timeout')), 64 * t1));
    });
  }

  private clearClient(key: string, tx: ClientTransaction): void {
    for (const timer of tx.timers) clearTimeout(timer);
    tx.timers = [];
    if (this.closed) return;
    // Linger to absorb retransmitted finals (Timer D/K), then forget.
    tx.timers.push(setTimeout(() => this.clients.delete(key), this.reliable ? 0 : 32 * this.timers.t1));
  }

  /** Registers the ACK a dialog sent for a 2xx, so retransmitted 2xx get it again. */
  rememberAck(callId: string, cseq: number, ack: SipRequest, to: Destination): void {
    const key = `${callId}|${cseq}`;
    const existing = this.sentAcks.get(key);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => this.sentAcks.delete(key), 64 * this.timers.t1);
    this.sentAcks.set(key, { data: serialize(ack), to, timer });
  }

  /** Sends a message outside any transaction (ACK for 2xx). */
  async sendRaw(request: SipRequest, to: Destination): Promise<void> {
    await this.transport.send(serialize(request), to);
  }

  private receive(data: Buffer, flow: Flow): void {
    if (this.closed) return;
    const from = hostPort(flow.address, flow.port);
    let message;
    try {
      message = parseMessage(data);
    } catch (error) {
      const reason = error instanceof SipParseError ? error.message : String(error);
      const salvaged = salvageRequest(data);
      this.logger.warn({ from, reason }, `Malformed SIP message from ${from} ignored: ${reason}`);
      if (salvaged && salvaged.method !== 'ACK' && !missingMandatory(salvaged)) {
        this.sendResponse(createResponse(salvaged, 400, 'Bad Request'), flow, salvaged);
      }
      return;
    }
    const missing = missingMandatory(message);
    const cseq = parseCSeq(message.headers.get('cseq'));
    if (missing || !cseq) {
      const problem = missing ? `no ${missing} header` : `bad CSeq "${message.headers.get('cseq') ?? ''}"`;
      this.logger.warn({ from, problem }, `SIP ${message.kind} from ${from} ignored: ${problem}`);
      if (message.kind === 'request' && message.method !== 'ACK' && message.headers.has('via')) {
        const response = createResponse(message, 400, missing ? `Missing ${missing}` : 'Bad CSeq');
        this.sendResponse(response, flow, message);
      }
      return;
    }
    if (message.kind === 'response') this.receiveResponse(message, cseq.method, from);
    else this.receiveRequest(message, flow);
  }

  private receiveResponse(response: SipResponse, method: string, from: string): void {
    const via = parseVia(response.headers.get('via'));
    const key = `${via?.params.branch ?? ''}|${method}`;
    if (via?.params.received || via?.params.rport) {
      const address = via.params.received || via.host;
      const port = Number(via.params.rport) || via.port || 5060;
      this.publicAddress = { address, port };
    }
    const tx = this.clients.get(key);
    if (!tx) {
      if (method === 'INVITE' && response.status >= 200 && response.status < 300) {
        const ack = this.sentAcks.get(ackKeyOf(response));
        if (ack) this.transport.send(ack.data, ack.to).catch(() => {});
        return;
      }
      this.logger.debug({ from, status: response.status }, 'SIP response matching no transaction dropped');
      return;
    }
    if (tx.done) {
      if (tx.ack && response.status >= 300) this.transport.send(tx.ack, tx.to).catch(() => {});
      else if (method === 'INVITE' && response.status < 300 && response.status >= 200) {
        const ack = this.sentAcks.get(ackKeyOf(response));
        if (ack) this.transport.send(ack.data, ack.to).catch(() => {});
      }
      return;
    }
    if (response.status < 200) {
      // A provisional stops INVITE retransmissions (Proceeding); non-INVITE keeps going at T2.
      if (tx.request.method === 'INVITE') {
        for (const timer of tx.timers.splice(0)) clearTimeout(timer);
        // Proceeding: no Timer B, but a bound like a proxy's Timer C (restarted by each provisional).
        tx.timers.push(setTimeout(() => tx.fail(new TransactionError(`no final answer to INVITE within ${PROCEEDING_LIMIT_MS / 1000} s of ringing`, 'timeout')), PROCEEDING_LIMIT_MS));
      }
      tx.provisional(response);
      return;
    }
    tx.done = true;
    if (tx.request.method === 'INVITE' && response.status >= 300) {
      tx.ack = serialize(ackForFailure(tx.request, response));
      this.transport.send(tx.ack, tx.to).catch(() => {});
    }
    this.clearClient(key, tx);
    tx.resolve(response);
  }

  private receiveRequest(request: SipRequest, flow: Flow): void {
    const via = parseVia(request.headers.get('via'));
    // Record where the request really came from (RFC 3261 18.2.1, RFC 3581).
    if (via) {
      let top = request.headers.get('via')!;
      if (via.host !== flow.address && !('received' in via.params)) top += `;received=${flow.address}`;
      if ('rport' in via.params && !via.params.rport) top = top.replace(/;rport(?=;|$)/i, `;rport=${flow.port}`);
      request.headers.replaceFirst('via', top);
    }
    const branch = via?.params.branch ?? '';
    const method = request.method === 'ACK' ? 'INVITE' : request.method;
    const key = `${branch}|${method}`;
    if (request.method === 'ACK') {
      const entry = this.servers.get(key);
      if (entry && entry.last) {
        entry.acked = true;
        for (const timer of entry.timers.splice(0)) clearTimeout(timer);
        // Confirmed: absorb ACK retransmissions a little longer (Timer I), then forget.
        entry.timers.push(setTimeout(() => this.servers.delete(key), this.reliable ? 0 : 10 * this.timers.t1));
        return;
      }
      const ackKey = ackKeyOf(request);
      const waiting = this.awaitingAck.get(ackKey);
      if (waiting) {
        for (const timer of waiting.timers) clearTimeout(timer);
        this.awaitingAck.delete(ackKey);
      }
      this.ackHandler(request, flow);
      return;
    }
    const existing = this.servers.get(key);
    if (existing) {
      if (existing.last) this.transport.send(existing.last, existing.to).catch(() => {});
      return;
    }
    const to = responseDestination(request, flow);
    const entry: ServerEntry = { last: undefined, to, timers: [], acked: false };
    this.servers.set(key, entry);
    const transaction: ServerTransaction = {
      request,
      flow,
      respond: (response) => this.answer(key, entry, request, response),
      reply: (status, reason, toTag) => createResponse(request, status, reason, toTag),
    };
    this.handler(transaction);
  }

  /** The server transaction for an INVITE, for a CANCEL that names it (same branch). */
  hasInviteTransaction(branch: string): boolean {
    return this.servers.has(`${branch}|INVITE`);
  }

  private answer(key: string, entry: ServerEntry, request: SipRequest, response: SipResponse): void {
    if (this.closed) return;
    const data = serialize(response);
    const final = response.status >= 200;
    if (entry.last && final && entry.acked) return;
    entry.last = data;
    this.transport.send(data, entry.to).catch((error: Error) => this.logger.warn({ err: error.message }, 'SIP response could not be sent'));
    if (!final) return;
    const linger = (): void => {
      entry.timers.push(setTimeout(() => this.servers.delete(key), 64 * this.timers.t1));
    };
    if (request.method !== 'INVITE') {
      linger();
      return;
    }
    const pending = response.status < 300 ? { ...entry, timers: [] as Array<ReturnType<typeof setTimeout>> } : entry;
    if (response.status < 300) this.awaitingAck.set(ackKeyOf(request), pending);
    if (!this.reliable) {
      let interval = this.timers.t1;
      const resend = (): void => {
        this.transport.send(data, entry.to).catch(() => {});
        interval = Math.min(interval * 2, this.timers.t2);
        pending.timers.push(setTimeout(resend, interval));
      };
      pending.timers.push(setTimeout(resend, interval));
    }
    const ackKey = ackKeyOf(request);
    pending.timers.push(setTimeout(() => {
      // Timer H / the 2xx give-up: no ACK came.
      for (const timer of pending.timers) clearTimeout(timer);
      if (this.awaitingAck.get(ackKey) === pending) this.awaitingAck.delete(ackKey);
    }, 64 * this.timers.t1));
    linger();
  }

  /** Answers outside a transaction (400 to something that did not parse well enough to keep). */
  private sendResponse(response: SipResponse, flow: Flow, request: SipRequest): void {
    this.transport.send(serialize(response), responseDestination(request, flow)).catch(() => {});
  }

  close(): void {
    this.closed = true;
    for (const tx of this.clients.values()) {
      for (const timer of tx.timers) clearTimeout(timer);
      if (!tx.done) tx.fail(new TransactionError('SIP line closed', 'transport'));
    }
    this.clients.clear();
    for (const entry of [...this.servers.values(), ...this.awaitingAck.values()]) for (const timer of entry.timers) clearTimeout(timer);
    this.servers.clear();
    this.awaitingAck.clear();
    for (const ack of this.sentAcks.values()) clearTimeout(ack.timer);
    this.sentAcks.clear();
  }
}

function ackKeyOf(message: SipRequest | SipResponse): string {
  return `${message.headers.get('call-id') ?? ''}|${parseCSeq(message.headers.get('cseq'))?.seq ?? -1}`;
}

/** Where a response goes: back over TCP on the flow, or over UDP to the source (rport) or Via port. */
function responseDestination(request: SipRequest, flow: Flow): Destination {
  if (flow.transport !== 'udp') return { address: flow.address, port: flow.port };
  const via = parseVia(request.headers.get('via'));
  if (!via || 'rport' in via.params) return { address: flow.address, port: flow.port };
  return { address: via.params.received || flow.address, port: via.port ?? 5060 };
}

/** ACK for a non-2xx final (RFC 3261 17.1.1.3): same branch and Request-URI, To from the response. */
function ackForFailure(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = invite.headers.copy();
  for (const name of ['content-type', 'contact', 'authorization', 'proxy-authorization', 'allow', 'supported', 'user-agent']) headers.delete(name);
  const via = invite.headers.get('via')!;
  headers.delete('via').append('via', via);
  headers.set('to', response.headers.get('to') ?? invite.headers.get('to') ?? '');
  headers.set('cseq', `${parseCSeq(invite.headers.get('cseq'))?.seq ?? 1} ACK`);
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: '' };
}
