/**
 * The part of Asterisk's REST Interface (ARI) an AudioSocket line needs: originate a call whose
 * dialplan hands it to Parley's AudioSocket server, follow its channel state, hang it up, and read
 * /asterisk/info for the line test. Basic authentication; every request bounded in time.
 */

export interface AriConfig {
  /** e.g. http://pbx:8088/ari */
  url: string;
  username: string;
  password: string;
  timeoutMs?: number;
}

export class AriError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when Asterisk could not be reached. */
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface OriginateRequest {
  /** The number's endpoint, e.g. PJSIP/+15551234567@trunk. */
  endpoint: string;
  /** Our id for the channel (the AudioSocket UUID), so it can be followed and hung up. */
  channelId: string;
  /** Dialplan context run once the far end answers (it runs AudioSocket with the UUID). */
  context: string;
  extension: string;
  callerId?: string;
  /** Seconds Asterisk lets it ring. */
  timeoutSeconds: number;
  variables: Record<string, string>;
}

export type AriChannelState = 'Down' | 'Rsrved' | 'OffHook' | 'Dialing' | 'Ring' | 'Ringing' | 'Up' | 'Busy' | 'Dialing Offhook' | 'Pre-ring' | 'Unknown';

export class AriClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(private readonly config: AriConfig) {
    // Credentials written into the URL are taken out of it (fetch refuses them, and the URL is logged).
    let username = config.username;
    let password = config.password;
    let base = config.url;
    const shown = config.url.replace(/\/\/[^@/]*@/, '//');
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new AriError(`The ARI URL is not a URL: ${shown}`, null);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AriError(`The ARI URL is not a URL starting with http:// or https://: ${shown}`, null);
    if (url.username || url.password) {
      username ||= decodeURIComponent(url.username);
      password ||= decodeURIComponent(url.password);
      url.username = '';
      url.password = '';
      base = url.toString();
    }
    this.base = base.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  async info(): Promise<{ version: string | undefined }> {
    const body = (await this.request('GET', '/asterisk/info')) as { system?: { version?: string } } | undefined;
    return { version: body?.system?.version };
  }

  async originate(request: OriginateRequest): Promise<void> {
    const query = new URLSearchParams({
      endpoint: request.endpoint,
      channelId: request.channelId,
      context: request.context,
      extension: request.extension,
      priority: '1',
      timeout: String(request.timeoutSeconds),
    });
    if (request.callerId) query.set('callerId', request.callerId);
    await this.request('POST', `/channels?${query.toString()}`, { variables: request.variables });
  }

  /** The channel's state, or null once it no longer exists. */
  async channelState(channelId: string): Promise<AriChannelState | null> {
    try {
      const body = (await this.request('GET', `/channels/${encodeURIComponent(channelId)}`)) as { state?: AriChannelState } | undefined;
      return body?.state ?? 'Unknown';
    } catch (error) {
      if (error instanceof AriError && error.status === 404) return null;
      throw error;
    }
  }

  async hangup(channelId: string): Promise<void> {
    try {
      await this.request('DELETE', `/channels/${encodeURIComponent(channelId)}`);
    } catch (error) {
      if (!(error instanceof AriError && error.status === 404)) throw error;
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: this.authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 5_000),
      });
    } catch (error) {
      const cause = (error as Error).name === 'TimeoutError' ? 'timed out' : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
      throw new AriError(`Asterisk ARI at ${this.base} is unreachable: ${cause}`, null);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new AriError(describeStatus(method, path.split('?')[0]!, response.status, text), response.status);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AriError(`Asterisk ARI ${method} ${path.split('?')[0]} answered with something other than JSON`, response.status);
    }
  }
}

function describeStatus(method: string, path: string, status: number, text: string): string {
  let message: string;
  try {
    message = String((JSON.parse(text) as { message?: unknown }).message ?? '');
  } catch {
    message = text.slice(0, 200);
  }
  const meaning = status === 401 ? 'wrong ARI user name or password' : status === 400 ? 'bad request (check the endpoint template)' : status === 404 ? 'not found' : status >= 500 ? 'Asterisk failed' : 'refused';
  return `Asterisk ARI ${method} ${path}: ${status} ${meaning}${message ? ` (${message})` : ''}`;
}
