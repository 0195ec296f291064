import { randomBytes } from 'node:crypto';

/** Name-addr values (From, To, Contact, Route), Via and header parameters. */

export interface NameAddr {
  display: string | undefined;
  uri: string;
  params: Record<string, string>;
}

/** `"Alice" <sip:a@b;transport=tcp>;tag=x` or `sip:a@b;tag=x`. */
export function parseNameAddr(value: string): NameAddr | undefined {
  const v = value.trim();
  const open = v.indexOf('<');
  if (open >= 0) {
    const close = v.indexOf('>', open);
    if (close < 0) return undefined;
    const display = v.slice(0, open).trim().replace(/^"(.*)"$/, '$1') || undefined;
    return { display, uri: v.slice(open + 1, close).trim(), params: parseParams(v.slice(close + 1)) };
  }
  const semi = v.indexOf(';');
  const uri = semi < 0 ? v : v.slice(0, semi);
  if (!/^(sips?|tel):/i.test(uri)) return undefined;
  return { display: undefined, uri, params: parseParams(semi < 0 ? '' : v.slice(semi)) };
}

export function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of text.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq < 0) params[p.toLowerCase()] = '';
    else params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return params;
}

export function tagOf(value: string | undefined): string | undefined {
  return value ? parseNameAddr(value)?.params.tag : undefined;
}

export interface SipUri {
  scheme: 'sip' | 'sips' | 'tel';
  user: string | undefined;
  host: string;
  port: number | undefined;
  params: Record<string, string>;
}

export function parseUri(uri: string): SipUri | undefined {
  const match = /^(sips?|tel):(?:([^@;?]+)@)?(\[[^\]]+\]|[^:;?>]+)(?::(\d{1,5}))?([^?]*)/i.exec(uri.trim());
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase() as SipUri['scheme'];
  if (scheme === 'tel') return { scheme, user: match[3], host: '', port: undefined, params: parseParams(match[5] ?? '') };
  return {
    scheme,
    user: match[2] ? safeDecode(match[2]) : undefined,
    host: match[3]!.replace(/^\[|\]$/g, ''),
    port: match[4] ? Number(match[4]) : undefined,
    params: parseParams(match[5] ?? ''),
  };
}

/** A bad %-escape from the network stays as it came rather than throwing. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface Via {
  transport: string;
  host: string;
  port: number | undefined;
  params: Record<string, string>;
}

export function parseVia(value: string | undefined): Via | undefined {
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^\s:;]+)(?::(\d{1,5}))?\s*(.*)$/i.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return { transport: match[1]!.toUpperCase(), host: match[2]!.replace(/^\[|\]$/g, ''), port: match[3] ? Number(match[3]) : undefined, params: parseParams(match[4] ?? '') };
}

/** The caller's number from a From / P-Asserted-Identity URI: the user part, or the display name. */
export function callerNumber(value: string | undefined): string {
  const addr = value ? parseNameAddr(value) : undefined;
  if (!addr) return 'unknown';
  const user = parseUri(addr.uri)?.user;
  const candidate = user ?? addr.display ?? 'unknown';
  return candidate.replace(/[^0-9+*#A-Za-z._-]/g, '') || 'unknown';
}

export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

export const BRANCH_PREFIX = 'z9hG4bK';

export function newBranch(): string {
  return `${BRANCH_PREFIX}${randomToken(10)}`;
}

/** An IPv6 literal needs brackets in a host:port. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
