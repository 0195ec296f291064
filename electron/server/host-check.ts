import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Names that always mean "this machine". */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
/** Wildcard binds: they say nothing about the names clients will use. */
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * The names this server answers to: loopback names and addresses, the address it is bound to (unless a
 * wildcard) and the hostnames the admin configured (`--allow-host`). A request for any other Host is
 * refused before anything runs: that is what defeats DNS rebinding (a page on `evil.example` whose name
 * now resolves to 127.0.0.1 still sends `Host: evil.example`).
 */
export function createHostCheck(bindHost: string, allowHosts: readonly string[] = []) {
  const names = new Set<string>(LOOPBACK_NAMES);
  if (!WILDCARDS.has(bindHost)) names.add(normalizeName(bindHost));
  for (const host of allowHosts) {
    const name = normalizeName(host);
    if (name) names.add(name);
  }

  const hostAllowed = (hostHeader: string | undefined): boolean => {
    const name = hostnameOf(hostHeader);
    return name !== undefined && names.has(name);
  };

  return {
    names: () => [...names],
    hostAllowed,
    /**
     * Host is one of ours and, when a browser sent an Origin, the Origin is this very server (same
     * scheme-less host and port): another site's page must not drive the engine.
     */
    requestAllowed(req: Pick<IncomingMessage, 'headers'>, requireOrigin = false): { ok: true } | { ok: false; status: 421 | 403; reason: string } {
      const host = req.headers.host;
      if (!hostAllowed(host)) return { ok: false, status: 421, reason: `Host ${String(host ?? '(none)').slice(0, 100)} is not a name of this server` };
      const origin = req.headers.origin;
      if (origin === undefined) return requireOrigin ? { ok: false, status: 403, reason: 'Origin required' } : { ok: true };
      let originHost: string;
      try {
        const url = new URL(origin);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, status: 403, reason: 'Origin scheme not allowed' };
        originHost = url.host;
      } catch {
        return { ok: false, status: 403, reason: 'Malformed Origin' };
      }
      if (originHost.toLowerCase() !== host!.toLowerCase()) return { ok: false, status: 403, reason: 'Origin does not match Host' };
      return { ok: true };
    },
  };
}

export type HostCheck = ReturnType<typeof createHostCheck>;

function normalizeName(host: string): string {
  const trimmed = host.trim().toLowerCase().replace(/\.$/, '');
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
}

/** The hostname part of a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`); undefined if malformed. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader || hostHeader.length > 255) return undefined;
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    const address = value.slice(1, end);
    return isIP(address) === 6 ? address : undefined;
  }
  const match = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return undefined;
  return match[1]!.replace(/\.$/, '');
}

/** True for addresses that only this machine can reach. */
export function isLoopbackBind(host: string): boolean {
  const name = normalizeName(host);
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** A client address (as the socket reports it) on this machine. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d+\.\d+\.\d+$/.test(plain);
}
