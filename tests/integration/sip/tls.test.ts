import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../support/temp-dir';
import { lineConfig, makeLine } from './harness';

/**
 * SIP over TLS. No packaged SIP peer here speaks TLS (kamailio's tls module and SIPp's TLS build
 * are not installed), so the server is a small registrar in this test: a Node TLS server with a
 * certificate made by openssl, answering 200 to what it receives.
 */

let temp: ReturnType<typeof tempDataDir>;
let cert: string;
let server: Server;
let port = 0;
const received: string[] = [];

beforeAll(async () => {
  temp = tempDataDir('parley-tls-');
  const key = join(temp.dir, 'key.pem');
  const certFile = join(temp.dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  cert = readFileSync(certFile, 'utf8');
  server = createServer({ key: readFileSync(key), cert }, (socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 4);
      received.push(message);
      const keep = message.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
      socket.write(`SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  temp.cleanup();
});

describe('SIP over TLS', () => {
  it('registers over a TLS connection to a server whose certificate it trusts', async () => {
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port, transport: 'tls', register: true }, 'pw'), { tlsCa: cert });
    try {
      await line.start();
      expect(line.state().status, line.state().detail).toBe('ready');
      const register = received.find((m) => m.startsWith('REGISTER'))!;
      expect(register).toMatch(/^Via: SIP\/2\.0\/TLS 127\.0\.0\.1:\d+;branch=z9hG4bK\w+;rport$/m);
      expect(register).toMatch(/^Contact: <sip:parley@127\.0\.0\.1:\d+;transport=tls>$/m);
    } finally {
      await line.dispose();
    }
  });

  it('refuses a server whose certificate it does not trust, and says so', async () => {
    const before = received.length;
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port, transport: 'tls', register: true }, 'pw'));
    try {
      await line.start();
      expect(line.state().status).toBe('unreachable');
      expect(line.state().detail).toMatch(/certificate/i);
      expect(received.length).toBe(before);
      await expect(line.dial({ callId: 'c-tls', to: '+15551234567' })).rejects.toThrow(/unreachable/);
    } finally {
      await line.dispose();
    }
  });
});
