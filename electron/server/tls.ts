import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 fingerprint of the certificate (AA:BB:…), shown for pairing a browser with a self-signed server. */
  fingerprint256: string;
  selfSigned: boolean;
}

/** A certificate and key given by the admin (`--tls-cert`, `--tls-key`). */
export function loadTls(certPath: string, keyPath: string): TlsMaterial {
  const cert = readFileSync(certPath, 'utf8');
  const key = readFileSync(keyPath, 'utf8');
  return { cert, key, fingerprint256: new X509Certificate(cert).fingerprint256, selfSigned: false };
}

/**
 * This server's own self-signed certificate, made once and kept in `<dataDir>/tls` (key 0600), for the
 * loopback names and the hostnames the server answers to. Browsers warn once; the console shows the
 * fingerprint so a desk agent can check it is really this server.
 */
export async function selfSignedTls(dataDir: string, hostnames: readonly string[]): Promise<TlsMaterial> {
  const dir = join(dataDir, 'tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    const existing = loadTls(certPath, keyPath);
    const names = new Set(hostnames);
    const x509 = new X509Certificate(existing.cert);
    const covered = [...names].every((name) => x509.checkHost(name) !== undefined || x509.checkIP(name) !== undefined);
    if (covered && Date.parse(x509.validTo) > Date.now() + 7 * 86_400_000) return { ...existing, selfSigned: true };
  }
  const { generate } = await import('selfsigned');
  const ips = ['127.0.0.1', '::1', ...hostnames.filter((h) => /^[\d.]+$|:/.test(h))];
  const dns = ['localhost', ...hostnames.filter((h) => !/^[\d.]+$|:/.test(h))];
  const altNames: Array<{ type: 2 | 7; value?: string; ip?: string }> = [
    ...[...new Set(dns)].map((value) => ({ type: 2 as const, value })),
    ...[...new Set(ips)].map((ip) => ({ type: 7 as const, ip })),
  ];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'Parley' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 825 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, fingerprint256: new X509Certificate(pems.cert).fingerprint256, selfSigned: true };
}
