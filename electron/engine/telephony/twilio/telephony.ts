import { randomBytes, randomUUID } from 'node:crypto';
import type { RecordableHistogram } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import type { CarrierState, LineTestResult, TwilioLineSettings, TwilioNumber } from '../../../contracts';
import type { CallLeg, CarrierDeps, DeskPhoneCall, DeskPhoneVerdict, DialRequest, IncomingCall, LineConfig, Telephony, TelephonyCapabilities } from '../../ports/telephony';
import { CarrierStatus } from '../carrier-status';
import { Listeners } from '../listeners';
import { TwilioCallLeg, type TwilioCallStatus } from './call-leg';
import { answerDeskCall, mintDeskPhoneToken } from './desk-phones';
import { parseTwilioSecrets, type TwilioLineSecrets } from './line-secrets';
import { MediaStreamProtocolError, parseMediaStreamMessage } from './media-stream-serializer';
import { openNgrokTunnel, type OpenTunnel, type Tunnel } from './tunnel';
import { loadTwilio, TwilioRest, TwilioRestError } from './twilio-rest';
import { TwilioWebhookListener, type FormReply } from './webhook-listener';

/** Seconds an outbound call may ring (Twilio's `Timeout`). */
const RING_TIMEOUT_S = 40;
/** No status from Twilio this long after placing a call: the webhooks are not reaching us. */
const SILENT_CALL_MS = (RING_TIMEOUT_S + 30) * 1000;
/** How long an inbound webhook waits for the engine to accept or refuse the call. */
const INBOUND_DECISION_MS = 8_000;
/** A finished call's webhooks are still answered (idempotently) this long; then they are refused. */
const RETIRE_AFTER_MS = 60_000;
const RECHECK_MS = 60_000;
const TERMINAL: ReadonlySet<string> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
const STATUSES: ReadonlySet<string> = new Set(['queued', 'initiated', 'ringing', 'in-progress', 'answered', ...TERMINAL]);

export interface TwilioCarrierOptions {
  /** Opens the tunnel when the line asks for one (ngrok unless told otherwise). */
  openTunnel?: OpenTunnel;
  /** No status callback this long after placing a call ends it (default: ring time + 30 s). */
  silentCallMs?: number;
  /** A finished call's webhooks are answered this long, then refused (default 60 s). */
  retireAfterMs?: number;
  /** How soon a line that is not ready tries again (default a minute). */
  recheckMs?: number;
  /** Records how long handling each Media Streams message takes, in ns (`parley bench twilio`). */
  messageTimings?: RecordableHistogram;
}

interface LiveCall {
  leg: TwilioCallLeg;
  streamOpened: boolean;
  silenceTimer?: ReturnType<typeof setTimeout>;
}

/**
 * A Twilio line: outbound calls placed through REST with `<Connect><Stream>`, inbound calls answered
 * by the numbers' voice webhook, call progress from status callbacks, audio over Media Streams, all
 * through this line's own webhook listener. Every call has a random token in its webhook and stream
 * paths; a request is served only when its Twilio signature matches and its token names a live
 * (or just finished) call.
 */
export class TwilioTelephony implements Telephony {
  readonly name: string;
  readonly capabilities: TelephonyCapabilities;
  private readonly settings: TwilioLineSettings;
  private readonly secrets: TwilioLineSecrets;
  private readonly calls = new Map<string, LiveCall>();
  private readonly incomingHandlers = new Listeners<IncomingCall>((error) => this.deps.logger.warn({ err: error }, 'inbound call handler failed'));
  private readonly carrierStatus: CarrierStatus;
  private deskCalls: ((call: Omit<DeskPhoneCall, 'lineId'>) => Promise<DeskPhoneVerdict>) | undefined;
  private rest: TwilioRest | undefined;
  private listener: TwilioWebhookListener | undefined;
  private tunnel: Tunnel | undefined;
  private publicBase: string | undefined;
  private starting: Promise<void> | undefined;
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private twiml: Awaited<ReturnType<typeof loadTwilio>>['twiml'] | undefined;

  constructor(
    private readonly config: LineConfig<TwilioLineSettings>,
    private readonly deps: CarrierDeps,
    private readonly options: TwilioCarrierOptions = {},
  ) {
    this.name = `twilio:${config.name}`;
    this.settings = config.settings;
    this.secrets = parseTwilioSecrets(config.secret);
    this.capabilities = { answeringMachineDetection: this.settings.machineDetection, dtmf: true, inbound: true };
    this.carrierStatus = new CarrierStatus('registering', 'Starting the Twilio webhook listener');
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

  onDeskPhoneCall(handler: (call: Omit<DeskPhoneCall, 'lineId'>) => Promise<DeskPhoneVerdict>): () => void {
    this.deskCalls = handler;
    return () => {
      if (this.deskCalls === handler) this.deskCalls = undefined;
    };
  }

  /**
   * Opens the listener (and the tunnel), then checks the account and the public URL. What failed is
   * tried again every `recheckMs` (a minute) until the line is ready: an office whose internet or
   * proxy was down at start recovers without anyone rebuilding the line.
   */
  start(): Promise<void> {
    this.starting ??= this.open().then(
      () => this.recheckUnlessReady(),
      (error: unknown) => {
        this.starting = undefined;
        this.setState(this.carrierStatus.current.status === 'registering' ? 'offline' : this.carrierStatus.current.status, (error as Error).message);
        this.recheckUnlessReady();
        throw error;
      },
    );
    return this.starting;
  }

  private recheckUnlessReady(): void {
    if (this.disposed || this.recheckTimer || this.carrierStatus.current.status === 'ready') return;
    this.recheckTimer = setTimeout(() => {
      this.recheckTimer = undefined;
      const again = this.starting ? this.starting.then(() => this.check()).then(() => this.recheckUnlessReady()) : this.start();
      again.catch(() => undefined);
    }, this.options.recheckMs ?? RECHECK_MS);
    this.recheckTimer.unref?.();
  }

  private async open(): Promise<void> {
    const { authToken } = this.secrets;
    if (!authToken) {
      this.setState('auth-failed', 'No auth token saved for this Twilio line');
      throw new Error('No auth token saved for this Twilio line');
    }
    const sdk = await loadTwilio();
    this.twiml = sdk.twiml;
    this.rest ??= await TwilioRest.create(this.settings.accountSid, authToken, this.settings.apiBaseUrl);
    const listener = this.listener ?? this.openListener(sdk, authToken);
    const address = await listener.listening.catch((error: unknown) => {
      this.listener = undefined;
      throw new Error(`The Twilio webhook listener could not open ${this.settings.webhookHost}:${this.settings.webhookPort}: ${(error as Error).message}`);
    });
    if (this.disposed) return;
    if (this.settings.reachability === 'ngrok') {
      if (!this.secrets.tunnelAuthtoken) throw this.unreachable('The line opens an ngrok tunnel but no ngrok authtoken is saved');
      try {
        this.tunnel ??= await (this.options.openTunnel ?? openNgrokTunnel)({ host: address.address, port: address.port }, this.secrets.tunnelAuthtoken);
      } catch (error) {
        throw this.unreachable(`The ngrok tunnel did not open: ${(error as Error).message}`);
      }
      if (this.disposed) return void (await this.tunnel.close());
      this.publicBase = this.tunnel.url;
    } else {
      if (!this.settings.publicBaseUrl) throw this.unreachable(`Twilio cannot reach this line: set its public base URL (a reverse proxy to ${address.address}:${address.port}) or choose a tunnel`);
      this.publicBase = this.settings.publicBaseUrl;
    }
    listener.setPublicBase(this.publicBase);
    await this.check();
  }

  private openListener(sdk: Awaited<ReturnType<typeof loadTwilio>>, authToken: string): TwilioWebhookListener {
    const listener = new TwilioWebhookListener({
      lineId: this.config.id,
      host: this.settings.webhookHost || '127.0.0.1',
      port: this.settings.webhookPort,
      logger: this.deps.logger,
      verify: (signature, url, params) => sdk.validateRequest(authToken, signature, url, params),
      routes: { form: (path, params) => this.onForm(path, params), streamAllowed: (path) => this.streamAllowed(path), stream: (path, ws) => this.onStream(path, ws) },
    });
    this.listener = listener;
    return listener;
  }

  private unreachable(detail: string): Error {
    this.setState('unreachable', detail);
    return new Error(detail);
  }

  /** Account reachable, numbers pointed here, and the public URL really reaches this listener. */
  private async check(): Promise<{ ok: boolean; detail: string }> {
    const rest = this.rest!;
    let account: { friendlyName: string; status: string };
    try {
      account = await rest.account();
    } catch (error) {
      const detail = (error as Error).message;
      this.setState(error instanceof TwilioRestError && error.status === 401 ? 'auth-failed' : 'unreachable', detail);
      return { ok: false, detail };
    }
    if (account.status !== 'active') {
      const detail = `The Twilio account "${account.friendlyName}" is ${account.status}`;
      this.setState('unreachable', detail);
      return { ok: false, detail };
    }
    if (this.settings.configureNumbers && this.settings.numbers.length > 0) {
      try {
        await this.rest!.pointNumbersAt(this.settings.numbers, this.listener!.url('voice'));
      } catch (error) {
        const detail = `Inbound calls will not reach this line: ${(error as Error).message}`;
        this.setState('unreachable', detail);
        return { ok: false, detail };
      }
    }
    const probe = await this.listener!.probePublicUrl();
    if (!probe.ok) {
      this.setState('unreachable', probe.detail);
      return probe;
    }
    const detail = `Twilio account "${account.friendlyName}"; webhooks reachable at ${this.publicBase}`;
    this.setState('ready', detail);
    return { ok: true, detail };
  }

  async test(): Promise<LineTestResult> {
    const started = performance.now();
    try {
      await this.start();
    } catch (error) {
      return { ok: false, verdict: (error as Error).message, latencyMs: null };
    }
    const result = await this.check();
    return { ok: result.ok, verdict: result.detail, latencyMs: result.ok ? Math.round(performance.now() - started) : null };
  }

  /** The account's numbers (to pick the line's numbers from). */
  async numbers(): Promise<TwilioNumber[]> {
    if (!this.secrets.authToken) throw new Error('Save the account\'s auth token first');
    const rest = this.rest ?? (await TwilioRest.create(this.settings.accountSid, this.secrets.authToken, this.settings.apiBaseUrl));
    return rest.numbers();
  }

  /** A Voice SDK access token for a desk agent (identity from the session). */
  phoneToken(identity: string): Promise<{ token: string; expiresAt: string }> {
    return mintDeskPhoneToken(this.settings, this.secrets.apiKeySecret, identity);
  }

  async dial(request: DialRequest): Promise<CallLeg> {
    if (this.disposed) throw new Error('This Twilio line has shut down');
    await this.start();
    const rest = this.rest!;
    if (this.liveCount() >= this.config.maxCalls) throw new Error(`The line's ${this.config.maxCalls} calls are all in use`);
    const from = request.from ?? this.callerId;
    if (!from) throw new Error('This Twilio line has no number to call from: pick one of the account\'s numbers');
    const detect = this.settings.machineDetection && request.detectMachine !== false;
    const token = randomBytes(18).toString('base64url');
    const leg = this.newLeg(token, request.callId, 'outbound', detect ? this.settings.machineVerdictWaitMs : 0);
    const live = this.calls.get(token)!;
    const silentMs = this.options.silentCallMs ?? SILENT_CALL_MS;
    live.silenceTimer = setTimeout(() => {
      if (leg.isEnded) return;
      this.deps.logger.warn({ callId: request.callId, callSid: leg.callSid }, 'no status callback from Twilio: are the webhooks reachable?');
      leg.end({ type: 'failed', reason: `Twilio sent no call status within ${Math.round(silentMs / 1000)} s: check that its webhooks reach this line` }, true);
    }, silentMs);
    live.silenceTimer.unref?.();
    let twiml: string;
    try {
      twiml = this.streamTwiml(token);
    } catch (error) {
      leg.end({ type: 'failed', reason: (error as Error).message }, false);
      return leg;
    }
    void rest
      .createCall({
        to: request.to,
        from,
        twiml,
        statusCallback: this.listener!.url(`status/${token}`),
        machineVerdictCallback: detect ? this.listener!.url(`amd/${token}`) : undefined,
        timeoutSeconds: RING_TIMEOUT_S,
      })
      .then(
        (callSid) => {
          leg.callSid = callSid;
          // The engine hung up while Twilio was still placing it.
          if (leg.isEnded) void this.endCall(callSid, 'canceled').catch(() => undefined);
        },
        (error: unknown) => {
          const e = error as TwilioRestError;
          this.deps.logger.warn({ callId: request.callId, status: e.status, code: e.code }, e.message);
          leg.end(e instanceof TwilioRestError && e.invalidNumber ? { type: 'invalid-number', reason: e.message } : { type: 'failed', reason: e.message }, false);
        },
      );
    return leg;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.recheckTimer);
    for (const { leg } of this.calls.values()) leg.end({ type: 'hangup', by: 'carrier' }, true);
    for (const live of this.calls.values()) clearTimeout(live.silenceTimer);
    this.calls.clear();
    await this.starting?.catch(() => undefined);
    await this.tunnel?.close().catch(() => undefined);
    await this.listener?.close();
    this.setState('offline', 'The line is closed');
  }

  private liveCount(): number {
    let count = 0;
    for (const { leg } of this.calls.values()) if (!leg.isEnded) count++;
    return count;
  }

  private newLeg(token: string, callId: string, direction: 'outbound' | 'inbound', machineVerdictWaitMs: number): TwilioCallLeg {
    const leg = new TwilioCallLeg(callId, {
      direction,
      clock: this.deps.clock,
      logger: this.deps.logger,
      machineVerdictWaitMs,
      endCall: (callSid, status) => this.endCall(callSid, status),
      redirect: (callSid, target) => this.redirect(callSid, target),
      onEnded: () => {
        const live = this.calls.get(token);
        clearTimeout(live?.silenceTimer);
        // Late callbacks of this call (Twilio's `completed` after our hang-up) are still answered for a while.
        setTimeout(() => this.calls.delete(token), this.options.retireAfterMs ?? RETIRE_AFTER_MS).unref?.();
      },
    });
    this.calls.set(token, { leg, streamOpened: false });
    return leg;
  }

  /** Ends a Twilio call through REST; a call already over is not an error (the caller hung up first). */
  private async endCall(callSid: string, status: 'completed' | 'canceled'): Promise<void> {
    if (!this.rest) return;
    try {
      await this.rest.endCall(callSid, status);
    } catch (error) {
      if (error instanceof TwilioRestError && error.callAlreadyOver) return;
      // `canceled` is refused once the call was answered meanwhile: end it as completed.
      if (status === 'canceled') return this.rest.endCall(callSid, 'completed').catch((e: unknown) => (e instanceof TwilioRestError && e.callAlreadyOver ? undefined : Promise.reject(e)));
      throw error;
    }
  }

  private async redirect(callSid: string, target: { number: string } | { client: string }): Promise<void> {
    const { callerId } = this;
    const twiml = this.xml((r) => {
      const dial = r.dial({ ...(callerId && 'number' in target ? { callerId } : {}), timeout: 30 });
      if ('number' in target) dial.number(target.number);
      else dial.client(target.client);
    }).body;
    await this.rest!.redirectCall(callSid, twiml);
  }

  /** `<Connect><Stream>` to this call's stream path (bidirectional audio). */
  private streamTwiml(token: string): string {
    return this.xml((r) => r.connect().stream({ url: this.listener!.url(`stream/${token}`, 'ws') }).parameter({ name: 'line', value: this.config.id })).body;
  }

  private streamReply(token: string): FormReply {
    return { status: 200, body: this.streamTwiml(token), contentType: 'text/xml; charset=utf-8' };
  }

  /** The number calls show: the line's first Twilio number, else its first caller ID. */
  private get callerId(): string | undefined {
    return this.settings.numbers[0] ?? this.config.callerIds[0];
  }

  private xml(build: (response: InstanceType<NonNullable<TwilioTelephony['twiml']>['VoiceResponse']>) => void): FormReply {
    const response = new this.twiml!.VoiceResponse();
    build(response);
    return { status: 200, body: response.toString(), contentType: 'text/xml; charset=utf-8' };
  }

  private async onForm(path: string[], params: Record<string, string>): Promise<FormReply> {
    if (params.AccountSid !== this.settings.accountSid) return { status: 403, body: 'a webhook for another Twilio account' };
    const [kind, token] = path;
    if (kind === 'voice' && path.length === 1) return this.inbound(params);
    if (kind === 'desk-call' && path.length === 1) return answerDeskCall(params, { callerId: this.callerId, decide: this.deskCalls, xml: (build) => this.xml(build) });
    if ((kind === 'status' || kind === 'amd') && token) {
      const live = this.calls.get(token);
      if (!live) return { status: 403, body: 'a webhook for no live call (replayed or expired)' };
      const { leg } = live;
      if (leg.callSid && params.CallSid && params.CallSid !== leg.callSid) return { status: 403, body: 'a webhook whose CallSid is not its call\'s' };
      leg.callSid ??= params.CallSid;
      if (kind === 'amd') {
        if (params.AnsweredBy) leg.machineVerdict(params.AnsweredBy);
        return { status: 204, body: '' };
      }
      clearTimeout(live.silenceTimer);
      const status = params.CallStatus ?? '';
      if (!STATUSES.has(status)) return { status: 400, body: `unknown CallStatus "${status.slice(0, 40)}"` };
      leg.status(status as TwilioCallStatus, params.AnsweredBy);
      return { status: 204, body: '' };
    }
    return { status: 404, body: 'Not found' };
  }

  /** A call to one of the line's numbers: asks the engine, then answers with a stream or a refusal. */
  private async inbound(params: Record<string, string>): Promise<FormReply> {
    const callSid = params.CallSid;
    if (!callSid) return { status: 400, body: 'no CallSid' };
    for (const live of this.calls.values()) {
      // Twilio retried the webhook: the call is already known, answer the same way.
      if (live.leg.callSid === callSid && !live.leg.isEnded) return this.streamReply(this.tokenOf(live.leg)!);
    }
    const refuse = (reason: 'busy' | 'rejected', why: string) => {
      this.deps.logger.info({ callSid, why }, 'inbound Twilio call refused');
      return this.xml((r) => r.reject({ reason }));
    };
    if (this.disposed || this.incomingHandlers.size === 0) return refuse('rejected', 'this line takes no inbound calls');
    if (this.liveCount() >= this.config.maxCalls) return refuse('busy', `the line's ${this.config.maxCalls} calls are all in use`);
    const token = randomBytes(18).toString('base64url');
    const leg = this.newLeg(token, randomUUID(), 'inbound', 0);
    leg.callSid = callSid;
    const decision = new Promise<{ accept: true } | { accept: false; reason: 'busy' | 'decline' | 'unavailable' }>((resolve) => {
      const timer = setTimeout(() => resolve({ accept: false, reason: 'unavailable' }), INBOUND_DECISION_MS);
      this.incomingHandlers.emit({
        leg,
        from: params.From ?? 'unknown',
        to: params.To ?? 'unknown',
        accept: async () => {
          clearTimeout(timer);
          resolve({ accept: true });
        },
        reject: async (reason) => {
          clearTimeout(timer);
          resolve({ accept: false, reason });
        },
      });
    });
    const decided = await decision;
    if (!decided.accept) {
      leg.end({ type: 'hangup', by: 'agent' }, false);
      return refuse(decided.reason === 'busy' ? 'busy' : 'rejected', `the engine refused it (${decided.reason})`);
    }
    return this.streamReply(token);
  }

  private tokenOf(leg: TwilioCallLeg): string | undefined {
    for (const [token, live] of this.calls) if (live.leg === leg) return token;
    return undefined;
  }

  private streamAllowed(path: string[]): boolean {
    const live = path.length === 2 ? this.calls.get(path[1]!) : undefined;
    return live !== undefined && !live.streamOpened && !live.leg.isEnded;
  }

  private onStream(path: string[], ws: WebSocket): void {
    const live = this.calls.get(path[1]!);
    if (!live || live.streamOpened) return void ws.close(1008, 'no such call');
    live.streamOpened = true;
    const { leg } = live;
    leg.attach(ws);
    const timings = this.options.messageTimings;
    ws.on('message', (data, isBinary) => {
      if (!timings) return this.onStreamMessage(leg, ws, data, isBinary);
      const started = process.hrtime.bigint();
      this.onStreamMessage(leg, ws, data, isBinary);
      timings.record(Math.max(1, Number(process.hrtime.bigint() - started)));
    });
    ws.on('error', () => undefined); // 'close' follows
    ws.on('close', () => leg.streamClosed());
  }

  private onStreamMessage(leg: TwilioCallLeg, ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) return this.streamProblem(leg, ws, 'a binary message');
    let event;
    try {
      event = parseMediaStreamMessage(data.toString());
    } catch (error) {
      return this.streamProblem(leg, ws, error instanceof MediaStreamProtocolError ? error.message : String(error));
    }
    if (event.kind === 'start') {
      if (event.accountSid !== this.settings.accountSid || (leg.callSid && event.callSid !== leg.callSid)) return this.streamProblem(leg, ws, 'a stream for another call or account');
      if (event.encoding !== 'audio/x-mulaw' || event.sampleRate !== 8_000) return this.streamProblem(leg, ws, `audio as ${event.encoding} at ${event.sampleRate} Hz (expected mu-law at 8 kHz)`);
    }
    leg.receive(event);
  }

  private streamProblem(leg: TwilioCallLeg, ws: WebSocket, problem: string): void {
    this.deps.logger.warn({ callId: leg.id, callSid: leg.callSid }, `Twilio media stream closed: ${problem}`);
    ws.close(1008, 'protocol error');
  }

  private setState(status: CarrierState['status'], detail: string): void {
    this.carrierStatus.set(status, detail, this.disposed);
  }
}
