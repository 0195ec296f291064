import type { TwilioNumber } from '../../../contracts';

/**
 * Twilio's REST API through the official `twilio` helper (loaded when a Twilio line first needs it,
 * so commands that never touch Twilio do not pay for it). `apiBaseUrl` other than
 * https://api.twilio.com sends the same requests to that host (a regional edge, or a local fake).
 */

type TwilioModule = typeof import('twilio');
type TwilioSdk = TwilioModule extends { default: infer D } ? D : TwilioModule;

let loaded: Promise<TwilioSdk> | undefined;

/** The `twilio` helper module (CommonJS; its default export is the SDK function with helpers on it). */
export function loadTwilio(): Promise<TwilioSdk> {
  loaded ??= import('twilio').then((mod) => ((mod as { default?: TwilioSdk }).default ?? (mod as unknown as TwilioSdk)));
  return loaded;
}

const TWILIO_API = 'https://api.twilio.com';
const REQUEST_TIMEOUT_MS = 10_000;

/** A Twilio REST error with its HTTP status and Twilio's error code (21211: invalid To number...). */
export class TwilioRestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: number | undefined,
  ) {
    super(message);
  }

  /** Twilio's answers for a call that is already over (the caller hung up first). */
  get callAlreadyOver(): boolean {
    return this.status === 404 || this.code === 21220;
  }

  /** The number itself is the problem (not the account or the network). */
  get invalidNumber(): boolean {
    return this.code === 21211 || this.code === 21214 || this.code === 21215 || this.code === 21217 || this.code === 13224;
  }
}

function restError(error: unknown, doing: string): TwilioRestError {
  const e = error as { status?: number; code?: number; message?: string; moreInfo?: string };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const said = e.message ?? String(error);
  const what = status === 401 ? 'Twilio refused the credentials (401): check the Account SID and auth token' : `Twilio ${doing} failed${status ? ` (${status}${code ? `, error ${code}` : ''})` : ''}: ${said}`;
  return new TwilioRestError(what, status, code);
}

export interface CreateCallRequest {
  to: string;
  from: string;
  twiml: string;
  statusCallback: string;
  /** Asynchronous answering-machine detection, its verdict posted here. */
  machineVerdictCallback?: string;
  timeoutSeconds: number;
}

export class TwilioRest {
  private constructor(
    private readonly client: ReturnType<TwilioSdk>,
    readonly accountSid: string,
  ) {}

  static async create(accountSid: string, authToken: string, apiBaseUrl = TWILIO_API): Promise<TwilioRest> {
    const sdk = await loadTwilio();
    const base = apiBaseUrl.replace(/\/+$/, '');
    // The helper's client, with every request's host swapped when the line names another base.
    class Rebased extends sdk.RequestClient {
      override request<T>(opts: Parameters<InstanceType<TwilioSdk['RequestClient']>['request']>[0] & { data?: T }) {
        const uri = base === TWILIO_API ? opts.uri : opts.uri.replace(/^https:\/\/api\.twilio\.com/, base);
        return super.request<T>({ ...opts, uri, timeout: opts.timeout ?? REQUEST_TIMEOUT_MS });
      }
    }
    const client = sdk(accountSid, authToken, { httpClient: new Rebased({ timeout: REQUEST_TIMEOUT_MS, autoRetry: true, maxRetries: 2 }) });
    return new TwilioRest(client, accountSid);
  }

  async account(): Promise<{ friendlyName: string; status: string }> {
    try {
      const account = await this.client.api.v2010.accounts(this.accountSid).fetch();
      return { friendlyName: account.friendlyName, status: account.status };
    } catch (error) {
      throw restError(error, 'account lookup');
    }
  }

  async numbers(): Promise<TwilioNumber[]> {
    try {
      const numbers = await this.client.incomingPhoneNumbers.list({ limit: 200 });
      return numbers.map((n) => ({ sid: n.sid, phoneNumber: n.phoneNumber, friendlyName: n.friendlyName, voiceUrl: n.voiceUrl || null }));
    } catch (error) {
      throw restError(error, 'listing the account\'s numbers');
    }
  }

  /** Points a number's voice webhook (inbound calls) at `url`. */
  async setVoiceUrl(numberSid: string, url: string): Promise<void> {
    try {
      await this.client.incomingPhoneNumbers(numberSid).update({ voiceUrl: url, voiceMethod: 'POST' });
    } catch (error) {
      throw restError(error, 'setting a number\'s voice URL');
    }
  }

  /** Points each of `numbers` (E.164, this account's) at `voiceUrl` where it is not already. */
  async pointNumbersAt(numbers: readonly string[], voiceUrl: string): Promise<void> {
    const owned = await this.numbers();
    for (const number of numbers) {
      const found = owned.find((n) => n.phoneNumber === number);
      if (!found) throw new Error(`${number} is not a number of this Twilio account`);
      if (found.voiceUrl !== voiceUrl) await this.setVoiceUrl(found.sid, voiceUrl);
    }
  }

  /** Places a call; returns its Call SID. */
  async createCall(request: CreateCallRequest): Promise<string> {
    try {
      const call = await this.client.calls.create({
        to: request.to,
        from: request.from,
        twiml: request.twiml,
        statusCallback: request.statusCallback,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        timeout: request.timeoutSeconds,
        ...(request.machineVerdictCallback
          ? { machineDetection: 'Enable', asyncAmd: 'true', asyncAmdStatusCallback: request.machineVerdictCallback, asyncAmdStatusCallbackMethod: 'POST' }
          : {}),
      });
      return call.sid;
    } catch (error) {
      throw restError(error, 'placing the call');
    }
  }

  /** Ends a call: `completed` once answered, `canceled` while it rings. Closing the stream does not. */
  async endCall(callSid: string, status: 'completed' | 'canceled'): Promise<void> {
    try {
      await this.client.calls(callSid).update({ status });
    } catch (error) {
      throw restError(error, 'hanging up');
    }
  }

  /** Replaces a live call's instructions (a transfer to a desk agent's phone). */
  async redirectCall(callSid: string, twiml: string): Promise<void> {
    try {
      await this.client.calls(callSid).update({ twiml });
    } catch (error) {
      throw restError(error, 'redirecting the call');
    }
  }
}
