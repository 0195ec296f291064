import type { CarrierState, LineTestResult } from '../../../contracts';
import { parseNameAddr, randomToken } from './address';
import { parseCSeq, type SipRequest, type SipResponse } from './message';
import { TransactionError } from './transactions';
import { AuthFailure, type UserAgent } from './user-agent';

export interface RegistrationTiming {
  /** First retry delay after a failure; doubles up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** OPTIONS keep-alive period while ready. */
  keepAliveMs: number;
}

export const DEFAULT_REGISTRATION_TIMING: RegistrationTiming = { retryBaseMs: 2_000, retryMaxMs: 300_000, keepAliveMs: 30_000 };

type SetState = (status: CarrierState['status'], detail: string) => void;

/**
 * Keeps a line registered (RFC 3261 10.2): REGISTER with digest answers, refresh before expiry,
 * re-register with backoff after a failure, OPTIONS keep-alive, and REGISTER Expires: 0 on stop.
 * A line with `register: false` is kept ready by OPTIONS alone.
 */
export class Registration {
  private readonly callId = `${randomToken(12)}@parley`;
  private readonly fromTag = randomToken(6);
  private cseq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private registered = false;
  private stopped = false;
  /** Asked-for lifetime; raised by a 423 Interval Too Brief. */
  private expires: number;
  private sentContact: string | undefined;

  constructor(
    private readonly ua: UserAgent,
    private readonly timing: RegistrationTiming,
    private readonly setState: SetState,
  ) {
    this.expires = ua.settings.registerExpires;
  }

  private get registers(): boolean {
    return this.ua.settings.register;
  }

  /** Starts the cycle; resolves once the first round trip has settled the state. */
  async start(): Promise<void> {
    this.stopped = false;
    this.setState('registering', this.registers ? `Registering with ${this.ua.settings.server}` : `Checking ${this.ua.settings.server}`);
    await this.cycle();
  }

  /** One REGISTER (or OPTIONS) round trip; updates the state and schedules the next. */
  async cycle(): Promise<LineTestResult> {
    this.clearTimer();
    const started = performance.now();
    const what = this.registers ? 'REGISTER' : 'OPTIONS';
    const server = this.ua.settings.server;
    try {
      let response = this.registers ? await this.sendRegister(this.expires) : await this.sendOptions();
      const minimum = Number(response.headers.get('min-expires'));
      if (this.registers && response.status === 423 && Number.isInteger(minimum) && minimum > this.expires && minimum <= 86_400) {
        this.expires = minimum;
        response = await this.sendRegister(this.expires);
      }
      const latencyMs = Math.round(performance.now() - started);
      if (this.stopped) return { ok: false, verdict: 'The line was closed', latencyMs };
      if (!this.registers || (response.status >= 200 && response.status < 300)) {
        this.failures = 0;
        const verdict = `${what} to ${server}: ${response.status} ${response.reason} in ${latencyMs} ms`;
        if (this.registers) {
          this.registered = true;
          const expires = grantedExpires(response, this.expires);
          this.setState('ready', `Registered with ${server} for ${expires} s`);
          // Behind NAT the server saw another address (received/rport): bind that Contact at once.
          const moved = this.sentContact !== undefined && this.sentContact !== this.ua.contact();
          this.schedule(moved ? 0 : Math.max(5_000, Math.min(expires * 800, (expires - 10) * 1000)), () => this.cycle());
        } else {
          this.setState('ready', `${server} answers (${response.status} ${response.reason})`);
          this.schedule(this.timing.keepAliveMs, () => this.cycle());
        }
        if (this.registers) this.scheduleKeepAlive();
        return { ok: true, verdict, latencyMs };
      }
      const detail = `${response.status} ${response.reason} from ${server}`;
      if (response.status === 403) return this.fail('auth-failed', `Authentication failed: ${detail}: wrong user name or password`, latencyMs);
      return this.fail('unreachable', `${what} refused: ${detail}`, latencyMs);
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      if (error instanceof AuthFailure) return this.fail('auth-failed', `Authentication failed: ${error.message}`, latencyMs);
      if (error instanceof TransactionError) return this.fail('unreachable', `${server} cannot be reached: ${error.message}`, null);
      return this.fail('unreachable', `${server}: ${(error as Error).message}`, null);
    }
  }

  private fail(status: 'auth-failed' | 'unreachable', detail: string, latencyMs: number | null): LineTestResult {
    this.registered = false;
    if (!this.stopped) {
      this.setState(status, detail);
      const delay = status === 'auth-failed' ? this.timing.retryMaxMs : Math.min(this.timing.retryMaxMs, this.timing.retryBaseMs * 2 ** this.failures);
      this.failures++;
      this.schedule(delay, () => this.cycle());
    }
    return { ok: false, verdict: detail, latencyMs };
  }

  /** While registered, OPTIONS to the server between refreshes keeps NAT bindings open and notices a dead network. */
  private keepAliveTimer: ReturnType<typeof setTimeout> | undefined;

  private scheduleKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = setTimeout(() => {
      if (this.stopped || !this.registered) return;
      this.sendOptions()
        .then(() => this.scheduleKeepAlive())
        .catch((error: Error) => {
          if (this.stopped) return;
          this.fail('unreachable', `${this.ua.settings.server} stopped answering: ${error.message}`, null);
        });
    }, this.timing.keepAliveMs);
  }

  private schedule(ms: number, run: () => Promise<unknown>): void {
    this.clearTimer();
    if (this.stopped) return;
    this.timer = setTimeout(() => void run(), ms);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async sendRegister(expires: number): Promise<SipResponse> {
    const request = this.ua.request('REGISTER', `sip:${this.ua.domain}`, {
      callId: this.callId,
      from: `<${this.ua.aor}>;tag=${this.fromTag}`,
      to: `<${this.ua.aor}>`,
      cseq: ++this.cseq,
      extra: [['expires', String(expires)]],
    });
    return this.ua.send(request, await this.ua.serverDestination(), { onSend: (sent) => this.track(sent) });
  }

  private track(sent: SipRequest): void {
    this.cseq = parseCSeq(sent.headers.get('cseq'))?.seq ?? this.cseq;
    this.sentContact = sent.headers.get('contact');
  }

  async sendOptions(): Promise<SipResponse> {
    const request = this.ua.request('OPTIONS', `sip:${this.ua.domain}`, {
      callId: `${randomToken(12)}@parley`,
      from: `<${this.ua.aor}>;tag=${randomToken(6)}`,
      to: `<sip:${this.ua.domain}>`,
      cseq: 1,
      extra: [['accept', 'application/sdp']],
    });
    return this.ua.send(request, await this.ua.serverDestination());
  }

  /** Removes our binding (Expires: 0), bounded by `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    clearTimeout(this.keepAliveTimer);
    if (!this.registers || !this.registered) return;
    this.registered = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.sendRegister(0).catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}

function grantedExpires(response: SipResponse, asked: number): number {
  for (const contact of response.headers.all('contact')) {
    const expires = Number(parseNameAddr(contact)?.params.expires);
    if (Number.isFinite(expires) && expires > 0) return expires;
  }
  const header = Number(response.headers.get('expires'));
  return Number.isFinite(header) && header > 0 ? header : asked;
}
