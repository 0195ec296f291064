import { isIP } from 'node:net';
import type { CarrierState, LineTestResult, SipLineSettings } from '../../../contracts';
import type { CarrierDeps, CallLeg, DialRequest, IncomingCall, LineConfig, Telephony, TelephonyCapabilities } from '../../ports/telephony';
import { tagOf } from './address';
import { openRtpSession } from '../rtp/session';
import { PendingInbound, screenOffer } from './inbound-call';
import type { OpenRtpMedia } from './media';
import { placeCall } from './outbound-call';
import { DEFAULT_REGISTRATION_TIMING, Registration, type RegistrationTiming } from './registration';
import { SipLeg, type LegContext } from './sip-leg';
import { DEFAULT_TIMERS, TransactionLayer, type ServerTransaction, type Timers } from './transactions';
import { SipTransport } from './transport';
import { ALLOW, localAddressFor, resolveHost, UserAgent } from './user-agent';
import { CarrierStatus } from '../carrier-status';
import { Listeners } from '../listeners';

export interface SipTelephonyOptions {
  /** Opens the RTP session of each call; the rtp module's `openRtpSession` unless given. */
  openMedia?: OpenRtpMedia;
  timers?: Timers;
  registration?: RegistrationTiming;
  /** How long an outbound call rings before it is cancelled as no-answer, and an inbound one before 480. */
  ringTimeoutMs?: number;
  /** Bound on waiting for BYE/REFER/re-INVITE answers and the unregister on dispose. */
  requestTimeoutMs?: number;
  transferTimeoutMs?: number;
  /** PEM certificates to trust for TLS lines besides the system's (a PBX with its own CA). */
  tlsCa?: string;
}

/** How long closing a line waits for a start still in progress before closing under it. */
const DISPOSE_START_WAIT_MS = 250;

/**
 * A SIP line (trunk or PBX extension) as a Telephony carrier: registers, places and receives calls,
 * and reports its registration state for the Lines screen.
 */
export class SipTelephony implements Telephony {
  readonly name: string;
  readonly capabilities: TelephonyCapabilities = { answeringMachineDetection: false, dtmf: true, inbound: true, transfer: true };
  private readonly carrierStatus: CarrierStatus;
  private readonly incomingHandlers = new Listeners<IncomingCall>((error) => this.deps.logger.error({ err: (error as Error).message }, 'incoming call handler failed'));
  private readonly legs = new Map<string, SipLeg>();
  private readonly ringing = new Map<string, PendingInbound>();
  private transport: SipTransport | undefined;
  private layer: TransactionLayer | undefined;
  private ua: UserAgent | undefined;
  private registration: Registration | undefined;
  private starting: Promise<void> | undefined;
  private disposed = false;
  private inboundSeq = 0;
  private callAuthFailed = false;
  private startFailures = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  /** Calls are taken only from the line's own server (registrar / proxy), not from anyone who finds the port. */
  private trustedSources = new Set<string>();
  private readonly options: Required<Omit<SipTelephonyOptions, 'timers' | 'registration' | 'tlsCa'>> & { timers: Timers; registration: RegistrationTiming; tlsCa?: string };

  constructor(
    private readonly config: LineConfig<SipLineSettings>,
    private readonly deps: CarrierDeps,
    options: SipTelephonyOptions = {},
  ) {
    this.name = `sip:${config.name}`;
    this.carrierStatus = new CarrierStatus('offline', 'Not started');
    this.options = {
      openMedia: options.openMedia ?? openRtpSession,
      timers: options.timers ?? DEFAULT_TIMERS,
      registration: options.registration ?? DEFAULT_REGISTRATION_TIMING,
      ringTimeoutMs: options.ringTimeoutMs ?? 45_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      transferTimeoutMs: options.transferTimeoutMs ?? 30_000,
      tlsCa: options.tlsCa,
    };
  }

  state(): CarrierState {
    return this.carrierStatus.current;
  }

  onStateChange(listener: (state: CarrierState) => void): () => void {
    return this.carrierStatus.onChange(listener);
  }

  onIncoming(handler: (call: IncomingCall) => void): () => void {
    return this.incomingHandlers.add(handler);
  }

  /** The local SIP port once started (a line configured with port 0 gets one from the OS). */
  get localPort(): number {
    return this.transport?.port ?? 0;
  }

  private setState(status: CarrierState['status'], detail: string): void {
    if (!this.carrierStatus.set(status, detail, this.disposed)) return;
    if (status !== 'ready' && status !== 'registering') this.deps.logger.warn({ line: this.config.id, status }, `SIP line ${this.config.name}: ${detail}`);
    else this.deps.logger.info({ line: this.config.id, status }, `SIP line ${this.config.name}: ${detail}`);
  }

  /**
   * Binds the transport and registers (or checks with OPTIONS); resolves once the first attempt has
   * settled the state, whatever it is. Safe to call twice.
   */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('This SIP line has been closed'));
    this.starting ??= this.bind().catch(async (error: Error) => {
      this.starting = undefined;
      await this.unbind();
      this.setState('unreachable', `Cannot start: ${error.message}`);
      // The network may come back (DNS, an interface): try again later, further apart each time.
      if (!this.disposed) {
        const delay = Math.min(this.options.registration.retryMaxMs, this.options.registration.retryBaseMs * 2 ** this.startFailures++);
        this.restartTimer = setTimeout(() => void this.start().catch(() => undefined), delay);
      }
      throw error;
    });
    return this.starting;
  }

  /** Closes what a failed start had opened. */
  private async unbind(): Promise<void> {
    this.layer?.close();
    this.layer = undefined;
    await this.transport?.close();
    this.transport = undefined;
  }

  private async bind(): Promise<void> {
    const settings = this.config.settings;
    const logger = this.deps.logger;
    const transport = new SipTransport({
      transport: settings.transport,
      localAddress: settings.localAddress,
      localPort: settings.localPort,
      logger,
      tls: { servername: isIP(settings.server) ? undefined : settings.server, ca: this.options.tlsCa },
    });
    await transport.start();
    this.transport = transport;
    const layer = new TransactionLayer(transport, logger, this.options.timers);
    this.layer = layer;
    const provisional = new UserAgent(settings, this.config.secret, layer, () => transport.port, settings.localAddress ?? '127.0.0.1', logger);
    const server = await provisional.serverDestination();
    // A TLS line connects now; if it cannot, the first REGISTER says why (and retries with backoff).
    await transport.open(server).catch(() => undefined);
    this.trustedSources = new Set([server.address, await resolveHost(settings.server)]);
    const localAddress = await localAddressFor(server, settings.localAddress);
    this.ua = new UserAgent(settings, this.config.secret, layer, () => transport.port, localAddress, logger);
    layer.onRequest((tx) => this.receive(tx));
    layer.onAck((request) => {
      const leg = this.legs.get(request.headers.get('call-id') ?? '');
      leg?.receiveAck(request);
    });
    this.registration = new Registration(this.ua, this.options.registration, (status, detail) => {
      // An OPTIONS answer says nothing about our password: a line whose calls were refused for
      // authentication stays auth-failed; only an accepted REGISTER clears it.
      if (this.callAuthFailed && !settings.register && (status === 'ready' || status === 'registering')) return;
      if (status === 'ready') this.callAuthFailed = false;
      this.setState(status, detail);
    });
    this.startFailures = 0;
    await this.registration.start();
  }

  async test(): Promise<LineTestResult> {
    try {
      await this.start();
    } catch (error) {
      return { ok: false, verdict: `Could not open the SIP port: ${(error as Error).message}`, latencyMs: null };
    }
    return this.registration!.cycle();
  }

  async dial(request: DialRequest): Promise<CallLeg> {
    await this.start();
    const state = this.carrierStatus.current;
    if (state.status === 'auth-failed') throw new Error(`Line ${this.config.name}: ${state.detail}; no call attempted`);
    if (state.status === 'unreachable') throw new Error(`Line ${this.config.name} is unreachable (${state.detail}); the call was not attempted`);
    if (state.status !== 'ready') throw new Error(`Line ${this.config.name} is not ready yet (${state.detail}); the call was not attempted`);
    if (this.legs.size >= this.config.maxCalls) throw new Error(`Line ${this.config.name} already has ${this.legs.size} of ${this.config.maxCalls} calls`);
    const ua = this.ua!;
    const destination = await ua.serverDestination();
    const media = await this.openMedia(ua.localAddress);
    const leg = new SipLeg(request.callId, this.legContext(ua));
    leg.attachMedia(media);
    void placeCall(leg, {
      to: request.to,
      callerId: request.from ?? this.config.callerIds[0],
      ringTimeoutMs: this.options.ringTimeoutMs,
      cancelTimeoutMs: 64 * this.options.timers.t1,
      destination,
      onAuthFailure: (reason) => {
        this.callAuthFailed = true;
        this.setState('auth-failed', `Authentication failed: ${reason}`);
      },
    });
    // The dialog's Call-ID is known once placeCall has built the INVITE (synchronously, above its first await).
    this.legs.set(leg.dialog!.callId, leg);
    return leg;
  }

  private legContext(ua: UserAgent): LegContext {
    return {
      ua,
      codecs: this.config.codecs,
      logger: this.deps.logger,
      requestTimeoutMs: this.options.requestTimeoutMs,
      transferTimeoutMs: this.options.transferTimeoutMs,
      onEnded: (leg) => {
        const callId = leg.dialog?.callId;
        if (callId && this.legs.get(callId) === leg) this.legs.delete(callId);
        if (callId) this.ringing.delete(callId);
      },
    };
  }

  private openMedia(localAddress: string) {
    const settings = this.config.settings;
    return this.options.openMedia({ localAddress, portMin: settings.rtpPortMin, portMax: settings.rtpPortMax, logger: this.deps.logger, clock: this.deps.clock, label: this.config.name });
  }

  /** Requests from the network that are not retransmissions. */
  private receive(tx: ServerTransaction): void {
    const { request } = tx;
    const callId = request.headers.get('call-id') ?? '';
    if (this.disposed) {
      tx.respond(tx.reply(503, 'Service Unavailable'));
      return;
    }
    if (request.method === 'CANCEL') {
      const pending = this.ringing.get(callId);
      tx.respond(tx.reply(pending ? 200 : 481, pending ? 'OK' : 'Call/Transaction Does Not Exist'));
      pending?.cancelled();
      return;
    }
    if (tagOf(request.headers.get('to'))) {
      const leg = this.legs.get(callId);
      if (leg) leg.handleRequest(tx);
      else tx.respond(tx.reply(481, 'Call/Transaction Does Not Exist'));
      return;
    }
    switch (request.method) {
      case 'INVITE':
        this.receiveInvite(tx);
        return;
      case 'OPTIONS': {
        const response = tx.reply(200, 'OK');
        response.headers.append('allow', ALLOW).append('accept', 'application/sdp');
        tx.respond(response);
        return;
      }
      case 'BYE':
      case 'INFO':
      case 'NOTIFY':
        tx.respond(tx.reply(481, 'Call/Transaction Does Not Exist'));
        return;
      case 'REGISTER':
      case 'SUBSCRIBE':
      case 'PUBLISH':
      case 'MESSAGE':
      case 'REFER':
      case 'UPDATE':
      case 'PRACK': {
        const response = tx.reply(405, 'Method Not Allowed');
        response.headers.append('allow', ALLOW);
        tx.respond(response);
        return;
      }
      default: {
        this.deps.logger.warn({ method: request.method.slice(0, 32) }, `SIP request with unknown method ${request.method.slice(0, 32)} answered 501`);
        const response = tx.reply(501, 'Not Implemented');
        response.headers.append('allow', ALLOW);
        tx.respond(response);
      }
    }
  }

  private receiveInvite(tx: ServerTransaction): void {
    const callId = tx.request.headers.get('call-id') ?? '';
    if (this.legs.has(callId)) {
      // The same call arriving again by another path (a merged request, RFC 3261 8.2.2.2).
      tx.respond(tx.reply(482, 'Loop Detected', 'parley'));
      return;
    }
    const source = tx.flow.address.replace(/^::ffff:/, '');
    if (!this.trustedSources.has(source)) {
      tx.respond(tx.reply(403, 'Forbidden', 'parley'));
      this.deps.logger.warn({ line: this.config.id, source }, `incoming call on ${this.config.name} from ${source} refused: not the line's server`);
      return;
    }
    const required = tx.request.headers.all('require').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    if (required.length > 0) {
      // No SIP extension is implemented here (100rel, timer, ...): RFC 3261 8.2.2.3.
      const response = tx.reply(420, 'Bad Extension', 'parley');
      response.headers.append('unsupported', required.join(', '));
      tx.respond(response);
      this.deps.logger.warn({ line: this.config.id }, `incoming call on ${this.config.name} refused: requires ${required.join(', ')} (420)`);
      return;
    }
    tx.respond(tx.reply(100, 'Trying'));
    if (this.incomingHandlers.size === 0) {
      tx.respond(tx.reply(480, 'Temporarily Unavailable', 'parley'));
      this.deps.logger.info({ line: this.config.id }, `incoming call on ${this.config.name} refused: no inbound campaign answers this line`);
      return;
    }
    if (this.legs.size >= this.config.maxCalls) {
      tx.respond(tx.reply(486, 'Busy Here', 'parley'));
      this.deps.logger.info({ line: this.config.id }, `incoming call on ${this.config.name} refused: all ${this.config.maxCalls} lines busy`);
      return;
    }
    const refused = screenOffer(tx, this.config.codecs);
    if (refused) {
      this.deps.logger.warn({ line: this.config.id }, `incoming call on ${this.config.name} refused: ${refused}`);
      return;
    }
    const ua = this.ua!;
    const leg = new SipLeg(`sip-in-${Date.now()}-${++this.inboundSeq}`, this.legContext(ua));
    const pending = new PendingInbound(tx, leg, () => this.openMedia(ua.localAddress), this.options.ringTimeoutMs);
    this.legs.set(callId, leg);
    this.ringing.set(callId, pending);
    const call = pending.toIncomingCall();
    this.incomingHandlers.emit(call);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.restartTimer);
    // A start still waiting on an unreachable registrar (up to 32 s on UDP) is not waited for: an
    // edited or removed line closes at once, and closing the transport ends that start.
    let bound: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.starting?.catch(() => undefined), new Promise<void>((resolve) => (bound = setTimeout(resolve, DISPOSE_START_WAIT_MS)))]);
    clearTimeout(bound);
    for (const leg of [...this.legs.values()]) await leg.hangup().catch(() => undefined);
    await this.registration?.stop(this.options.requestTimeoutMs);
    this.layer?.close();
    await this.transport?.close();
    this.setState('offline', 'Closed');
    this.carrierStatus.clear();
    this.incomingHandlers.clear();
  }
}
