import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../support/temp-dir';
import { freeUdpPort, lineConfig, makeLine, sleep, udpSocket, waitFor } from './harness';

/**
 * Registration with digest authentication against a real registrar: kamailio on loopback, with a
 * fixed password checked by pv_auth_check, one instance challenging with MD5 and one with SHA-256.
 */

const PASSWORD = 's3cret-Pa55';

function kamailioConfig(port: number, algorithm: 'MD5' | 'SHA-256'): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
listen=udp:127.0.0.1:${port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "textops.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
modparam("auth", "algorithm", "${algorithm}")
request_route {
  xlog("L_NOTICE", "SEEN $rm expires=$hdr(Expires) auth=$(hdr(Authorization){s.len})\\n");
  if (is_method("REGISTER")) {
    if (!pv_auth_check("$fd", "${PASSWORD}", "0", "1")) {
      auth_challenge("$fd", "1");
      exit;
    }
    if (!save("location")) sl_reply_error();
    exit;
  }
  if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
  sl_send_reply("403", "Forbidden");
}
`;
}

interface Registrar {
  port: number;
  log: () => string;
  stop: () => Promise<void>;
}

async function startKamailio(dir: string, algorithm: 'MD5' | 'SHA-256'): Promise<Registrar> {
  const port = await freeUdpPort();
  const cfg = join(dir, `kamailio-${algorithm}.cfg`);
  const logFile = join(dir, `kamailio-${algorithm}.log`);
  writeFileSync(cfg, kamailioConfig(port, algorithm));
  writeFileSync(logFile, '');
  let out = '';
  const child: ChildProcess = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-Y', dir, '-m', '16', '-M', '4', '-w', dir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const answering = await answersOptions(port, 6_000);
  if (!answering || child.exitCode !== null) throw new Error(`kamailio did not start:\n${out.slice(-2_000)}`);
  return {
    port,
    log: () => out + readFileSync(logFile, 'utf8'),
    stop: async () => {
      if (child.exitCode !== null || !child.pid) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, sleep(2_000)]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
}

/** Polls the registrar with OPTIONS until it answers (it is up) or the time runs out. */
async function answersOptions(port: number, timeoutMs: number): Promise<boolean> {
  const socket = await udpSocket();
  let answered = false;
  socket.on('message', () => (answered = true));
  const started = Date.now();
  for (let i = 0; !answered && Date.now() - started < timeoutMs; i++) {
    const probe = `OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bKprobe${i}\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\nCall-ID: probe${i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
    socket.send(probe, port, '127.0.0.1');
    await sleep(100);
  }
  socket.close();
  return answered;
}

let temp: ReturnType<typeof tempDataDir>;
const registrars: Registrar[] = [];

beforeAll(() => {
  temp = tempDataDir('parley-kamailio-');
});
afterAll(async () => {
  for (const registrar of registrars) await registrar.stop();
  temp.cleanup();
});

describe('registering with kamailio', () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`registers with a ${algorithm} digest challenge, tests the line, and unregisters on dispose`, async () => {
      const registrar = await startKamailio(temp.dir, algorithm);
      registrars.push(registrar);
      const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: registrar.port, register: true, registerExpires: 300 }, PASSWORD));
      const states: string[] = [];
      line.onStateChange((state) => states.push(state.status));
      await line.start();
      expect(line.state().status, registrar.log().slice(-2_000)).toBe('ready');
      expect(line.state().detail).toMatch(/Registered with 127\.0\.0\.1 for \d+ s/);
      expect(states).toEqual(['registering', 'ready']);
      const result = await line.test();
      expect(result.ok).toBe(true);
      expect(result.verdict).toMatch(/^REGISTER to 127\.0\.0\.1: 200 OK in \d+ ms$/);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      await line.dispose();
      expect(line.state().status).toBe('offline');
      await waitFor(() => /SEEN REGISTER expires=0 auth=[1-9]/.test(registrar.log()), 3_000, 'REGISTER Expires: 0 with credentials');
    });
  }

  it('a wrong password leaves the line auth-failed and no call is attempted', async () => {
    const registrar = await startKamailio(temp.dir, 'MD5');
    registrars.push(registrar);
    const { line, lines } = makeLine(lineConfig({ server: '127.0.0.1', port: registrar.port, register: true }, 'not-the-password'));
    try {
      await line.start();
      expect(line.state().status).toBe('auth-failed');
      expect(line.state().detail).toMatch(/wrong user name or password/);
      await expect(line.dial({ callId: 'c-auth', to: '+15551234567' })).rejects.toThrow(/authentication failed.*no call attempted/i);
      const test = await line.test();
      expect(test.ok).toBe(false);
      expect(test.verdict).toMatch(/Authentication failed/);
      // One clear line per problem, and the password never in the log.
      expect(lines.filter((l) => /wrong user name or password/.test(l.msg)).length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(lines)).not.toContain('not-the-password');
      await sleep(200);
      expect(registrar.log()).not.toMatch(/SEEN INVITE/);
      expect(registrar.log()).toMatch(/SEEN REGISTER/);
    } finally {
      await line.dispose();
    }
  });
});
