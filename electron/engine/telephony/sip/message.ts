/**
 * SIP messages (RFC 3261 section 7): parsing from the wire and serialising back. Headers keep their
 * order; names are stored in canonical long form so `Via`, `v` and `VIA` are one header.
 */

export class SipParseError extends Error {}

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

const COMPACT: Record<string, string> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type', f: 'from',
  s: 'subject', k: 'supported', t: 'to', v: 'via', o: 'event', r: 'refer-to', b: 'referred-by', u: 'allow-events',
};

const DISPLAY: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', 'www-authenticate': 'WWW-Authenticate', 'max-forwards': 'Max-Forwards',
  'content-length': 'Content-Length', 'content-type': 'Content-Type', 'record-route': 'Record-Route',
  'p-asserted-identity': 'P-Asserted-Identity', 'proxy-authenticate': 'Proxy-Authenticate',
  'proxy-authorization': 'Proxy-Authorization', 'user-agent': 'User-Agent', 'refer-to': 'Refer-To',
  'referred-by': 'Referred-By', 'allow-events': 'Allow-Events', 'subscription-state': 'Subscription-State',
};

/** Headers whose values may be comma-joined on one line (RFC 3261 7.3.1). */
const MULTI = new Set(['via', 'route', 'record-route', 'contact', 'allow', 'supported']);

export const MAX_MESSAGE_BYTES = 65_535;
const MAX_HEADER_LINE = 8_192;
const MAX_HEADERS = 200;

export function canonicalName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT[lower] ?? lower;
}

function displayName(canonical: string): string {
  return DISPLAY[canonical] ?? canonical.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** An ordered multimap of headers, keyed by canonical name. */
export class SipHeaders {
  private readonly entries: Array<[string, string]> = [];

  static from(list: Array<[string, string]>): SipHeaders {
    const headers = new SipHeaders();
    for (const [name, value] of list) headers.append(name, value);
    return headers;
  }

  append(name: string, value: string): this {
    this.entries.push([canonicalName(name), value]);
    return this;
  }

  /** Puts `value` before every other value of `name` (a new top Via). */
  prepend(name: string, value: string): this {
    const canonical = canonicalName(name);
    const at = this.entries.findIndex(([n]) => n === canonical);
    this.entries.splice(at < 0 ? this.entries.length : at, 0, [canonical, value]);
    return this;
  }

  set(name: string, value: string): this {
    this.delete(name);
    return this.append(name, value);
  }

  delete(name: string): this {
    const canonical = canonicalName(name);
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]![0] === canonical) this.entries.splice(i, 1);
    return this;
  }

  get(name: string): string | undefined {
    return this.all(name)[0];
  }

  /** Every value, comma-joined lines of list headers split apart. */
  all(name: string): string[] {
    const canonical = canonicalName(name);
    const values = this.entries.filter(([n]) => n === canonical).map(([, v]) => v);
    return MULTI.has(canonical) ? values.flatMap(splitList) : values;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Replaces the first value of `name` (the top Via gets received/rport). */
  replaceFirst(name: string, value: string): void {
    const canonical = canonicalName(name);
    const at = this.entries.findIndex(([n]) => n === canonical);
    if (at < 0) return;
    const rest = splitList(this.entries[at]![1]).slice(1);
    this.entries[at] = [canonical, value];
    if (rest.length > 0) this.entries.splice(at + 1, 0, [canonical, rest.join(', ')]);
  }

  copy(): SipHeaders {
    return SipHeaders.from(this.entries.map(([n, v]) => [n, v]));
  }

  lines(): string[] {
    return this.entries.map(([n, v]) => `${displayName(n)}: ${v}`);
  }
}

/** Splits a header value on commas outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Parses one complete message (datagram or framed stream chunk). Throws SipParseError with the reason. */
export function parseMessage(data: Buffer | string): SipMessage {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text.length > MAX_MESSAGE_BYTES) throw new SipParseError(`message of ${text.length} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`);
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const rawBody = end < 0 ? '' : text.slice(end + 4);
  const rawLines = head.split(/\r?\n/);
  const startLine = rawLines.shift()?.trim() ?? '';
  const headers = new SipHeaders();
  let last: [string, string] | undefined;
  const collected: Array<[string, string]> = [];
  for (const line of rawLines) {
    if (line.length > MAX_HEADER_LINE) throw new SipParseError(`a header line of ${line.length} characters is over the ${MAX_HEADER_LINE} limit`);
    if (/^[ \t]/.test(line) && last) {
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`malformed header line "${line.slice(0, 60)}"`);
    const name = line.slice(0, colon).trim();
    if (!TOKEN.test(name)) throw new SipParseError(`malformed header name "${name.slice(0, 60)}"`);
    last = [name, line.slice(colon + 1).trim()];
    collected.push(last);
    if (collected.length > MAX_HEADERS) throw new SipParseError(`more than ${MAX_HEADERS} headers`);
  }
  for (const [n, v] of collected) headers.append(n, v);
  const lengthHeader = headers.get('content-length');
  let body = rawBody;
  if (lengthHeader !== undefined) {
    const length = Number(lengthHeader);
    if (!Number.isInteger(length) || length < 0) throw new SipParseError(`bad Content-Length "${lengthHeader}"`);
    const bodyBytes = Buffer.from(rawBody, 'utf8');
    if (bodyBytes.length < length) throw new SipParseError(`body shorter (${bodyBytes.length}) than Content-Length ${length}`);
    body = bodyBytes.subarray(0, length).toString('utf8');
  }
  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(startLine);
  if (response) {
    return { kind: 'response', status: Number(response[1]), reason: response[2] ?? '', headers, body };
  }
  const request = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (!request) throw new SipParseError(`malformed start line "${startLine.slice(0, 80)}"`);
  return { kind: 'request', method: request[1]!.toUpperCase(), uri: request[2]!, headers, body };
}

/** The headers every request and response must carry to be handled at all (RFC 3261 8.1.1). */
export function missingMandatory(message: SipMessage): string | undefined {
  for (const name of ['via', 'call-id', 'cseq', 'from', 'to']) if (!message.headers.has(name)) return displayName(name);
  return undefined;
}

export function serialize(message: SipMessage): Buffer {
  const headers = message.headers.copy();
  const bodyBytes = Buffer.from(message.body, 'utf8');
  headers.set('content-length', String(bodyBytes.length));
  const start = message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${message.reason}`;
  const head = `${start}\r\n${headers.lines().join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), bodyBytes]);
}

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(value: string | undefined): CSeq | undefined {
  const match = /^(\d{1,10})\s+([A-Za-z]+)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return { seq: Number(match[1]), method: match[2]!.toUpperCase() };
}

/** Builds a response to `request` (RFC 3261 8.2.6): Via, From, To, Call-ID, CSeq copied. */
export function createResponse(request: SipRequest, status: number, reason: string, toTag?: string): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.all('via')) headers.append('via', via);
  for (const rr of request.headers.all('record-route')) headers.append('record-route', rr);
  headers.append('from', request.headers.get('from') ?? '');
  let to = request.headers.get('to') ?? '';
  if (toTag && status > 100 && !/;\s*tag=/i.test(to)) to += `;tag=${toTag}`;
  headers.append('to', to);
  headers.append('call-id', request.headers.get('call-id') ?? '');
  headers.append('cseq', request.headers.get('cseq') ?? '');
  return { kind: 'response', status, reason, headers, body: '' };
}

/**
 * What can still be read from a message that did not parse: the start line and the header lines
 * that are well formed, so a request can get a 400 that names the problem.
 */
export function salvageRequest(data: Buffer | string): SipRequest | undefined {
  const text = (typeof data === 'string' ? data : data.toString('utf8')).slice(0, MAX_MESSAGE_BYTES);
  const end = text.indexOf('\r\n\r\n');
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  const start = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(lines.shift()?.trim() ?? '');
  if (!start) return undefined;
  const headers = new SipHeaders();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.length > MAX_HEADER_LINE) continue;
    const name = line.slice(0, colon).trim();
    if (TOKEN.test(name)) headers.append(name, line.slice(colon + 1).trim());
  }
  return { kind: 'request', method: start[1]!.toUpperCase(), uri: start[2]!, headers, body: '' };
}
