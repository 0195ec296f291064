import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ParleyError, type MirrorRule } from '../../contracts';

/**
 * Where the model manager may fetch from: the catalog's own URLs, and hosts an admin approved as
 * mirrors. A host that resolves to this machine or a private network (loopback, link-local, RFC 1918,
 * unique-local) is refused unless its mirror rule says the admin allows that: the server must not be
 * steered at internal services.
 */
export function approvedHostOf(url: string, mirrors: readonly MirrorRule[]): MirrorRule | undefined {
  const host = hostOf(url);
  return host === undefined ? undefined : mirrors.find((m) => hostOf(m.to) === host);
}

/** A custom URL for a download: one of the catalog's URLs for the file, or on an approved mirror host. */
export function assertCustomUrlAllowed(url: string, catalogUrls: readonly string[], mirrors: readonly MirrorRule[]): void {
  if (catalogUrls.includes(url)) return;
  if (approvedHostOf(url, mirrors)) return;
  throw new ParleyError('forbidden', `Downloads come only from the catalog or from a mirror host an admin approved; ${hostOf(url) ?? 'this URL'} is neither`);
}

/** Refuses a URL whose host is (or resolves to) a loopback, link-local or private address, unless allowed. */
export async function assertPublicTarget(url: string, allowPrivateNetwork: boolean, resolve: (host: string) => Promise<string[]> = resolveAll): Promise<void> {
  if (allowPrivateNetwork) return;
  const host = hostOf(url);
  if (host === undefined) throw new ParleyError('forbidden', 'Not an http(s) URL');
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => [] as string[]);
  const inner = addresses.find((a) => addressKind(a) !== 'public');
  if (inner) {
    throw new ParleyError('forbidden', `${host} is a ${addressKind(inner)} address (${inner}); an admin must allow private networks on that mirror first`);
  }
}

export type AddressKind = 'public' | 'loopback' | 'link-local' | 'private' | 'unspecified' | 'multicast';

/** What kind of address an IPv4 or IPv6 literal is. */
export function addressKind(address: string): AddressKind {
  const v4 = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number) as [number, number];
    if (a === 127) return 'loopback';
    if (a === 0) return 'unspecified';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
    if (a >= 224) return 'multicast';
    return 'public';
  }
  const v6 = address.toLowerCase();
  if (v6 === '::1') return 'loopback';
  if (v6 === '::') return 'unspecified';
  if (/^fe[89ab]/.test(v6)) return 'link-local';
  if (/^f[cd]/.test(v6)) return 'private';
  if (v6.startsWith('ff')) return 'multicast';
  return 'public';
}

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    const host = parsed.hostname.toLowerCase();
    return host.startsWith('[') ? host.slice(1, -1) : host;
  } catch {
    return undefined;
  }
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((r) => r.address);
}
