import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { encodeMuLaw } from '../../../electron/engine/audio/g711';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SipLineSettings, type Codec } from '../../../electron/contracts';
import type { CallLegEvent, CallLeg, LineConfig } from '../../../electron/engine/ports/telephony';
import { SipTelephony, type SipTelephonyOptions } from '../../../electron/engine/telephony/sip/sip-telephony';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { loopbackUdpSocket, sleep, waitFor } from '../../support/wait';

/** A logger whose lines the test can read. */
export function capturingLogger() {
  const lines: Array<{ msg: string; level: number; [key: string]: unknown }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}


/** A UDP port the OS says is free right now (for peers that cannot be given port 0). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Test timers: T1 of 100 ms keeps retransmission and timeout cases quick on loopback. */
export const FAST: Pick<SipTelephonyOptions, 'timers' | 'registration' | 'requestTimeoutMs'> = {
  timers: { t1: 100, t2: 800 },
  registration: { retryBaseMs: 500, retryMaxMs: 5_000, keepAliveMs: 60_000 },
  requestTimeoutMs: 2_000,
};

export function lineConfig(settings: Partial<SipLineSettings> & { server: string; port: number }, secret?: string, codecs: Codec[] = ['PCMU', 'PCMA']): LineConfig<SipLineSettings> {
  return {
    id: 'line-test',
    name: 'Test line',
    settings: SipLineSettings.parse({ username: 'parley', localAddress: '127.0.0.1', register: false, rtpPortMin: 30_000, rtpPortMax: 59_999, ...settings }),
    secret,
    callerIds: ['+15550001111'],
    codecs,
    maxCalls: 4,
  };
}

export function makeLine(config: LineConfig<SipLineSettings>, options: SipTelephonyOptions = {}) {
  const { logger, lines } = capturingLogger();
  const clock = new PlayoutClock();
  const line = new SipTelephony(config, { logger, clock }, { ...FAST, ...options });
  return { line, lines, clock };
}

/** Records every event of a leg. */
export function recordEvents(leg: CallLeg): CallLegEvent[] {
  const events: CallLegEvent[] = [];
  leg.onEvent((event) => events.push(event));
  return events;
}

export interface SippRun {
  process: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  output: () => string;
  kill: () => void;
}

/**
 * Runs SIPp with a scenario written to `dir`, on loopback. `mode` uas waits for our calls; uac calls
 * `target` (host:port). SIPp answers out-of-call OPTIONS itself (-aa) so a line can check it first;
 * that check counts as one of its calls, so a uas run ends after two.
 */
export async function runSipp(dir: string, name: string, scenario: string, options: { target?: string; extra?: string[]; calls?: number } = {}): Promise<SippRun> {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, scenario);
  const port = await freeUdpPort();
  const mediaPort = await freeUdpPort();
  const args = ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-m', String(options.calls ?? (options.target ? 1 : 2)), '-aa', '-nostdin', '-timeout', '20s', '-timeout_error', '-trace_err', '-trace_msg', '-message_file', join(dir, `${name}-messages.log`), '-error_file', join(dir, `${name}-errors.log`), ...(options.extra ?? [])];
  if (options.target) args.push(options.target);
  let out = '';
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await sleep(150);
  return { process: child, port, exited, output: () => out, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

/** SIPp response header block echoing the request (uas side). */
export const ECHO = `[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]`;

export const SIPP_SDP = `v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=sendrecv`;

/** SIPp's verdict: it exits 0 when every call of its scenario passed. Bounded wait, then killed. */
export async function sippPassed(sipp: SippRun, timeoutMs = 8_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const code = await Promise.race([sipp.exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
  clearTimeout(timer);
  sipp.kill();
  if (code !== 0) throw new Error(`SIPp scenario did not pass (exit ${code}):\n${sipp.output().slice(-4_000)}`);
}

/** A stand-in registrar/proxy for inbound tests: answers any request with 200 OK so the line is ready. */
export async function okResponder(): Promise<{ port: number; close: () => Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (data, from) => {
    const text = data.toString();
    if (!/^[A-Z]+ /.test(text) || text.startsWith('ACK')) return;
    const keep = text.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
    socket.send(`SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { port: socket.address().port, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/**
 * A far-end RTP source for early-media checks: sends `count` 20 ms PCMU packets of a 440 Hz tone from
 * its own socket to `to`, paced by timers.
 */
export async function rtpTone(to: { address: string; port: number }, count: number, from: Socket): Promise<void> {
  const ssrc = 0x1234abcd;
  for (let i = 0; i < count; i++) {
    const samples = new Int16Array(160);
    for (let n = 0; n < 160; n++) samples[n] = Math.round(8_000 * Math.sin((2 * Math.PI * 440 * (i * 160 + n)) / 8_000));
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = i === 0 ? 0x80 : 0x00;
    header.writeUInt16BE(i & 0xffff, 2);
    header.writeUInt32BE(i * 160, 4);
    header.writeUInt32BE(ssrc, 8);
    from.send(Buffer.concat([header, Buffer.from(encodeMuLaw(samples))]), to.port, to.address);
    await sleep(20);
  }
}

export { loopbackUdpSocket as udpSocket, sleep, waitFor };
