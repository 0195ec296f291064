import { createHash, randomBytes } from 'node:crypto';

/** HTTP digest authentication for SIP (RFC 3261 22, RFC 7616 / RFC 8760): MD5 and SHA-256, qop=auth or none. */

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: 'MD5' | 'SHA-256';
  qop: 'auth' | undefined;
  stale: boolean;
}

export class DigestError extends Error {}

/** Parses a WWW-Authenticate / Proxy-Authenticate value. Throws DigestError when we cannot answer it. */
export function parseChallenge(value: string): DigestChallenge {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!match) throw new DigestError(`unsupported authentication scheme "${value.split(/\s/)[0] ?? ''}"`);
  const params = parseAuthParams(match[1]!);
  if (!params.realm || params.nonce === undefined) throw new DigestError('digest challenge without realm or nonce');
  const algorithm = (params.algorithm ?? 'MD5').toUpperCase();
  if (algorithm !== 'MD5' && algorithm !== 'SHA-256') throw new DigestError(`unsupported digest algorithm ${algorithm}`);
  let qop: 'auth' | undefined;
  if (params.qop !== undefined) {
    const offered = params.qop.split(',').map((q) => q.trim().toLowerCase());
    if (!offered.includes('auth')) throw new DigestError(`unsupported qop "${params.qop}" (only auth)`);
    qop = 'auth';
  }
  return { realm: params.realm, nonce: params.nonce, opaque: params.opaque, algorithm, qop, stale: params.stale?.toLowerCase() === 'true' };
}

/** Comma-separated auth-params with quoted strings that may contain commas. */
function parseAuthParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) params[m[1]!.toLowerCase()] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2]!;
  return params;
}

function hash(algorithm: DigestChallenge['algorithm'], text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(text).digest('hex');
}

export interface DigestCredentials {
  username: string;
  password: string;
}

/** Keeps the nonce count per nonce so repeated requests with one challenge stay valid. */
export class DigestSession {
  private nc = 0;

  constructor(
    readonly challenge: DigestChallenge,
    private readonly credentials: DigestCredentials,
    private readonly cnonce: () => string = () => randomBytes(8).toString('hex'),
  ) {}

  /** The Authorization / Proxy-Authorization value for `method` on `uri`. */
  authorize(method: string, uri: string): string {
    const { realm, nonce, opaque, algorithm, qop } = this.challenge;
    const ha1 = hash(algorithm, `${this.credentials.username}:${realm}:${this.credentials.password}`);
    const ha2 = hash(algorithm, `${method}:${uri}`);
    const parts = [`username="${quote(this.credentials.username)}"`, `realm="${quote(realm)}"`, `nonce="${quote(nonce)}"`, `uri="${quote(uri)}"`];
    let response: string;
    if (qop === 'auth') {
      this.nc++;
      const nc = this.nc.toString(16).padStart(8, '0');
      const cnonce = this.cnonce();
      response = hash(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
      parts.push(`response="${response}"`, `algorithm=${algorithm}`, `cnonce="${cnonce}"`, 'qop=auth', `nc=${nc}`);
    } else {
      response = hash(algorithm, `${ha1}:${nonce}:${ha2}`);
      parts.push(`response="${response}"`, `algorithm=${algorithm}`);
    }
    if (opaque !== undefined) parts.push(`opaque="${quote(opaque)}"`);
    return `Digest ${parts.join(', ')}`;
  }
}

function quote(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
