import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPort, sleep, udpSocket } from './harness';

/**
 * kamailio on loopback for the tests: a registrar that checks one fixed password with digest
 * (pv_auth_check, no database), and optionally a proxy that challenges INVITEs (407), looks the
 * callee up among registrations and relays with Record-Route. Every request is logged ("SEEN ...").
 */

export const KAMAILIO_PASSWORD = 's3cret-Pa55';

function config(port: number, algorithm: 'MD5' | 'SHA-256', proxy: boolean): string {
  const routing = proxy
    ? `
  if (has_totag()) {
    if (loose_route()) { t_relay(); exit; }
    if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
  if (is_method("INVITE")) {
    if (!pv_auth_check("$fd", "${KAMAILIO_PASSWORD}", "0", "1")) { auth_challenge("$fd", "1"); exit; }
    consume_credentials();
    record_route();
    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
    t_relay();
    exit;
  }`
    : '';
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
listen=udp:127.0.0.1:${port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
modparam("auth", "algorithm", "${algorithm}")
request_route {
  xlog("L_NOTICE", "SEEN $rm expires=$hdr(Expires) auth=$(hdr(Authorization){s.len}) pauth=$(hdr(Proxy-Authorization){s.len})\\n");${routing}
  if (is_method("REGISTER")) {
    if (!pv_auth_check("$fd", "${KAMAILIO_PASSWORD}", "0", "1")) {
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

export interface Kamailio {
  port: number;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startKamailio(dir: string, options: { algorithm?: 'MD5' | 'SHA-256'; proxy?: boolean; name: string }): Promise<Kamailio> {
  const port = await freeUdpPort();
  const cfg = join(dir, `kamailio-${options.name}.cfg`);
  writeFileSync(cfg, config(port, options.algorithm ?? 'MD5', options.proxy ?? false));
  let out = '';
  const child: ChildProcess = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-Y', dir, '-m', '16', '-M', '4', '-w', dir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-50_000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-50_000)));
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, sleep(2_000)]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  const answering = await answersOptions(port, 6_000);
  if (!answering || child.exitCode !== null) {
    await stop();
    throw new Error(`kamailio did not start:\n${out.slice(-2_000)}`);
  }
  return { port, log: () => out, stop };
}

/** Polls with OPTIONS until kamailio answers (it is up) or the time runs out. */
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
