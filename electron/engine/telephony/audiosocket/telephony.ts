import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AudioSocketLineSettings, CarrierState, LineTestResult } from '../../../contracts';
import type { CallLeg, CarrierDeps, DialRequest, IncomingCall, LineConfig, Telephony, TelephonyCapabilities } from '../../ports/telephony';
import { AriClient, AriError } from './ari-client';
import { AudioSocketCallLeg } from './call-leg';
import { AudioSocketProtocolError, encodeHangup, MessageDecoder, type AudioSocketMessage } from './protocol';
import { CarrierStatus } from '../carrier-status';
import { Listeners } from '../listeners';

/** The dialplan context an originated call runs once answered (see the README for its lines). */
export const OUTBOUND_CONTEXT = 'parley-outbound';
/** A connection that has not named its call (UUID) within this long is closed. */
const UUID_TIMEOUT_MS = 5_000;
/** How long an originated call may ring before it counts as not answered. */
const RING_TIMEOUT_MS = 45_000;
const POLL_MS = 1_000;
/** Once the callee has answered, Asterisk's dialplan must connect back within this long. */
const CONNECT_BACK_MS = 5_000;

interface PendingDial {
  leg: AudioSocketCallLeg;
  timer: ReturnType<typeof setTimeout>;
  poll: ReturnType<typeof setInterval> | undefined;
}

/**
 * Asterisk through AudioSocket: a TCP server that takes each AudioSocket connection as a call
 * (inbound calls from a dialplan's AudioSocket() or Dial(AudioSocket/...)), and outbound calls
 * originated through ARI into a dialplan context that connects back here with our UUID.
 */
export class AudioSocketTelephony implements Telephony {
  readonly name: string;
  readonly capabilities: TelephonyCapabilities = { answeringMachineDetection: false, dtmf: true, inbound: true };
  private readonly settings: AudioSocketLineSettings;
  private readonly server: Server;
  private readonly ari: AriClient | undefined;
  /** A setting that makes outbound calls impossible (a malformed ARI URL), said once and kept. */
  private readonly configProblem: string | undefined;
  private readonly incomingHandlers = new Listeners<IncomingCall>((error) => this.deps.logger.warn({ err: error }, 'inbound call handler failed'));
  private readonly carrierStatus: CarrierStatus;
  private readonly pending = new Map<string, PendingDial>();
  private readonly live = new Set<AudioSocketCallLeg>();
  private readonly sockets = new Set<Socket>();
  private readonly listening: Promise<AddressInfo | undefined>;
  private disposed = false;

  constructor(
    private readonly config: LineConfig<AudioSocketLineSettings>,
    private readonly deps: CarrierDeps,
  ) {
    this.name = `audiosocket:${config.name}`;
    this.settings = config.settings;
    const { ariUrl, ariUsername } = this.settings;
    try {
      this.ari = ariUrl ? new AriClient({ url: ariUrl, username: ariUsername ?? '', password: config.secret ?? '' }) : undefined;
    } catch (error) {
      this.configProblem = (error as Error).message;
      deps.logger.warn({ line: config.id }, this.configProblem);
    }
    this.carrierStatus = new CarrierStatus('registering', 'Opening the AudioSocket server');
    this.server = createServer((socket) => this.onConnection(socket));
    this.server.on('error', (error) => this.setState('offline', `AudioSocket server: ${error.message}`));
    this.listening = new Promise((resolve) => {
      this.server.once('error', () => resolve(undefined));
      this.server.listen(this.settings.listenPort, this.settings.listenHost || '127.0.0.1', () => resolve(this.server.address() as AddressInfo));
    });
    void this.listening.then((address) => (address ? this.checkReady(address) : undefined));
  }

  /** Where the server listens (undefined if it could not). */
  address(): Promise<AddressInfo | undefined> {
    return this.listening;
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

  async test(): Promise<LineTestResult> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    if (this.configProblem) return { ok: false, verdict: this.configProblem, latencyMs: null };
    if (this.ari) {
      try {
        const { version } = await this.ari.info();
        this.setState('ready', `Asterisk ${version ?? '(version not given)'} reachable over ARI; AudioSocket server listening`);
        return { ok: true, verdict: `ARI GET /asterisk/info answered: Asterisk ${version ?? '(version not given)'}`, latencyMs: latency() };
      } catch (error) {
        this.setState('unreachable', (error as Error).message);
        return { ok: false, verdict: (error as Error).message, latencyMs: null };
      }
    }
    const address = await this.listening;
    if (!address) return { ok: false, verdict: this.carrierStatus.current.detail, latencyMs: null };
    const ok = await new Promise<boolean>((resolve) => {
      const probe = connect(address.port, address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address);
      probe.setTimeout(2_000, () => probe.destroy());
      probe.once('connect', () => (probe.destroy(), resolve(true)));
      probe.once('error', () => resolve(false));
      probe.once('close', () => resolve(false));
    });
    return ok
      ? { ok: true, verdict: `AudioSocket server accepts connections on ${address.address}:${address.port} (inbound only: no ARI URL)`, latencyMs: latency() }
      : { ok: false, verdict: `AudioSocket server on ${address.address}:${address.port} did not accept a connection`, latencyMs: null };
  }

  async dial(request: DialRequest): Promise<CallLeg> {
    if (this.disposed) throw new Error('This AudioSocket line has shut down');
    if (this.configProblem) throw new Error(this.configProblem);
    if (!this.ari || !this.settings.ariEndpoint) throw new Error('This AudioSocket line takes inbound calls only: set its ARI URL and endpoint to place calls');
    if (this.live.size >= this.config.maxCalls) throw new Error(`The line's ${this.config.maxCalls} calls are all in use`);
    const address = await this.listening;
    if (!address) throw new Error(`The AudioSocket server is not listening: ${this.carrierStatus.current.detail}`);
    const uuid = randomUUID();
    const leg = this.newLeg(request.callId, uuid);
    const timer = setTimeout(() => this.settlePending(uuid, { type: 'no-answer' }, true), RING_TIMEOUT_MS);
    this.pending.set(uuid, { leg, timer, poll: undefined });
    const endpoint = this.settings.ariEndpoint.replace('{number}', request.to);
    const audioSocket = this.settings.audioSocketAddress || `${address.address}:${address.port}`;
    void this.ari
      .originate({ endpoint, channelId: uuid, context: OUTBOUND_CONTEXT, extension: 's', callerId: this.config.callerIds[0], timeoutSeconds: Math.round(RING_TIMEOUT_MS / 1000), variables: { PARLEY_UUID: uuid, PARLEY_AUDIOSOCKET: audioSocket } })
      .then(
        () => this.followChannel(uuid),
        (error: unknown) => {
          const reason = error instanceof AriError ? error.message : `ARI originate failed: ${(error as Error).message}`;
          this.deps.logger.warn({ callId: request.callId, status: error instanceof AriError ? error.status : null }, reason);
          this.settlePending(uuid, { type: 'failed', reason }, false);
        },
      );
    return leg;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const uuid of [...this.pending.keys()]) this.settlePending(uuid, { type: 'failed', reason: 'The line shut down' }, true);
    for (const leg of [...this.live]) leg.end({ type: 'hangup', by: 'carrier' });
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.setState('offline', 'The line is closed');
  }

  private newLeg(callId: string, uuid: string): AudioSocketCallLeg {
    const leg = new AudioSocketCallLeg(callId, uuid, { sampleRate: this.settings.sampleRate, clock: this.deps.clock, logger: this.deps.logger, onEnded: (l) => this.live.delete(l) });
    this.live.add(leg);
    return leg;
  }

  /** Polls the originated channel: ringing while it rings; gone before our connection came means not answered. */
  private followChannel(uuid: string): void {
    const pending = this.pending.get(uuid);
    if (!pending || !this.ari) return;
    let rang = false;
    let upSince: number | undefined;
    let polling = false;
    pending.poll = setInterval(() => {
      if (polling) return;
      polling = true;
      this.ari!.channelState(uuid)
        .then((state) => {
          if (!this.pending.has(uuid)) return;
          if (state === null) return this.settlePending(uuid, { type: 'no-answer' }, false);
          if (state === 'Busy') return this.settlePending(uuid, { type: 'busy' }, true);
          if (state === 'Up') {
            upSince ??= Date.now();
            if (Date.now() - upSince >= CONNECT_BACK_MS) {
              const reason = `the call was answered but Asterisk did not connect back to the AudioSocket server within ${CONNECT_BACK_MS / 1000} s (check the ${OUTBOUND_CONTEXT} dialplan context and the AudioSocket address)`;
              this.deps.logger.warn({ uuid }, reason);
              return this.settlePending(uuid, { type: 'failed', reason }, true);
            }
          }
          if (!rang && (state === 'Ringing' || state === 'Ring')) {
            rang = true;
            pending.leg.emit({ type: 'ringing' });
          }
        })
        .catch((error: unknown) => this.deps.logger.warn({ uuid }, `ARI channel state: ${(error as Error).message}`))
        .finally(() => (polling = false));
    }, POLL_MS);
  }

  private settlePending(uuid: string, outcome: { type: 'no-answer' } | { type: 'busy' } | { type: 'failed'; reason: string }, hangUpChannel: boolean): void {
    const pending = this.pending.get(uuid);
    if (!pending) return;
    this.pending.delete(uuid);
    clearTimeout(pending.timer);
    if (pending.poll) clearInterval(pending.poll);
    if (hangUpChannel) void this.ari?.hangup(uuid).catch((error: unknown) => this.deps.logger.warn({ uuid }, `ARI hangup: ${(error as Error).message}`));
    pending.leg.end(outcome);
  }

  private onConnection(socket: Socket): void {
    if (this.disposed) return void socket.destroy();
    // Calls plus a few connections still naming theirs; beyond that, refused.
    if (this.sockets.size >= this.config.maxCalls + 8) {
      this.deps.logger.warn({ remote: socket.remoteAddress }, 'AudioSocket connection refused: too many connections');
      return void socket.destroy();
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const decoder = new MessageDecoder();
    let leg: AudioSocketCallLeg | undefined;
    const where = `${socket.remoteAddress}:${socket.remotePort}`;
    const uuidTimer = setTimeout(() => drop(`no UUID within ${UUID_TIMEOUT_MS / 1000} s`), UUID_TIMEOUT_MS);
    const drop = (problem: string) => {
      this.deps.logger.warn({ remote: where, uuid: leg?.uuid }, `AudioSocket connection closed: ${problem}`);
      clearTimeout(uuidTimer);
      if (leg) leg.end(leg.isAnswered ? { type: 'hangup', by: 'carrier' } : { type: 'failed', reason: `AudioSocket: ${problem}` });
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      let messages: AudioSocketMessage[];
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        return drop(error instanceof AudioSocketProtocolError ? error.message : `unreadable data (${(error as Error).message})`);
      }
      for (const message of messages) {
        if (!leg) {
          if (message.kind !== 'uuid') return drop(`first message is ${message.kind}, not the call's UUID`);
          clearTimeout(uuidTimer);
          leg = this.adopt(socket, message.uuid);
          if (!leg) return;
          continue;
        }
        leg.receive(message);
        if (leg.isEnded) return;
      }
    });
    socket.on('error', () => undefined); // 'close' follows and ends the call
    socket.on('close', () => {
      clearTimeout(uuidTimer);
      this.sockets.delete(socket);
      leg?.connectionClosed();
    });
  }

  /** A connection named its call: an outbound call we placed, or a new inbound one. */
  private adopt(socket: Socket, uuid: string): AudioSocketCallLeg | undefined {
    const pending = this.pending.get(uuid);
    if (pending) {
      this.pending.delete(uuid);
      clearTimeout(pending.timer);
      if (pending.poll) clearInterval(pending.poll);
      if (pending.leg.isConnected || pending.leg.isEnded) {
        this.deps.logger.warn({ uuid }, 'AudioSocket connection for a call that is already connected or over: closed');
        socket.destroy();
        return undefined;
      }
      pending.leg.attach(socket);
      pending.leg.answer();
      return pending.leg;
    }
    const refuse = (why: string) => {
      this.deps.logger.warn({ uuid }, `AudioSocket call refused: ${why}`);
      socket.end(encodeHangup());
      return undefined;
    };
    if (this.incomingHandlers.size === 0) return refuse('this line takes no inbound calls');
    if (this.live.size >= this.config.maxCalls) return refuse(`the line's ${this.config.maxCalls} calls are all in use`);
    const leg = this.newLeg(uuid, uuid);
    leg.attach(socket);
    const call: IncomingCall = {
      leg,
      // AudioSocket carries no numbers; the dialplan knows them, the socket does not.
      from: 'unknown',
      to: 'unknown',
      accept: async () => leg.answer(),
      reject: async (reason, detail) => {
        this.deps.logger.info({ uuid, reason, detail }, 'inbound AudioSocket call rejected');
        socket.write(encodeHangup());
        leg.end({ type: 'hangup', by: 'agent' });
      },
    };
    this.incomingHandlers.emit(call);
    return leg;
  }

  private async checkReady(address: AddressInfo): Promise<void> {
    const listening = `AudioSocket server listening on ${address.address}:${address.port}`;
    if (this.configProblem) return this.setState('unreachable', `${listening}, but ${this.configProblem}`);
    if (!this.ari) return this.setState('ready', `${listening} (inbound only: no ARI URL)`);
    try {
      const { version } = await this.ari.info();
      this.setState('ready', `${listening}; Asterisk ${version ?? '(version not given)'} reachable over ARI`);
    } catch (error) {
      this.setState('unreachable', `${listening}, but ${(error as Error).message}`);
    }
  }

  private setState(status: CarrierState['status'], detail: string): void {
    this.carrierStatus.set(status, detail, this.disposed);
  }
}
