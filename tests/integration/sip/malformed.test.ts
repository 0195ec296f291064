import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipTelephony } from '../../../electron/engine/telephony/sip/sip-telephony';
import { lineConfig, makeLine, okResponder, sleep, udpSocket, waitFor } from './harness';

/** Bad input from the network: the line answers 400 where it can, logs one line per problem, never throws. */

const WARN = 40;

function request(lines: string[], body = ''): string {
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const via = (n: number, port: number) => `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKbad${n};rport`;
const common = (n: number, method: string) => [`From: <sip:x@127.0.0.1>;tag=f${n}`, 'To: <sip:parley@127.0.0.1>', `Call-ID: bad-${n}`, `CSeq: 1 ${method}`];

let server: Awaited<ReturnType<typeof okResponder>>;
beforeAll(async () => {
  server = await okResponder();
});
afterAll(async () => {
  await server.close();
});

interface Case {
  name: string;
  data: (port: number) => string | Buffer;
  /** Status of the answer, or null when nothing can be answered. */
  answer: number | null;
  /** Warnings this problem should log (exactly). */
  warnings: number;
}

const corpus: Case[] = [
  { name: 'missing Call-ID', answer: 400, warnings: 1, data: (p) => request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', via(1, p), 'From: <sip:x@h>;tag=1', 'To: <sip:y@h>', 'CSeq: 1 OPTIONS', 'Content-Length: 0']) },
  { name: 'missing CSeq', answer: 400, warnings: 1, data: (p) => request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', via(2, p), 'From: <sip:x@h>;tag=1', 'To: <sip:y@h>', 'Call-ID: bad-2', 'Content-Length: 0']) },
  { name: 'missing Via', answer: null, warnings: 1, data: () => request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', ...common(3, 'OPTIONS'), 'Content-Length: 0']) },
  { name: 'bad CSeq', answer: 400, warnings: 1, data: (p) => request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', via(4, p), 'From: <sip:x@h>;tag=1', 'To: <sip:y@h>', 'Call-ID: bad-4', 'CSeq: one OPTIONS', 'Content-Length: 0']) },
  { name: 'Content-Length past the end', answer: 400, warnings: 1, data: (p) => request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', via(5, p), ...common(5, 'OPTIONS'), 'Content-Length: 900'], 'short') },
  { name: 'a 60 KB header line', answer: 400, warnings: 1, data: (p) => request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', via(6, p), ...common(6, 'OPTIONS'), `X-Huge: ${'a'.repeat(60_000)}`, 'Content-Length: 0']) },
  { name: 'unknown method', answer: 501, warnings: 1, data: (p) => request(['FROBNICATE sip:parley@127.0.0.1 SIP/2.0', via(7, p), ...common(7, 'FROBNICATE'), 'Content-Length: 0']) },
  { name: 'REGISTER to a user agent', answer: 405, warnings: 0, data: (p) => request(['REGISTER sip:127.0.0.1 SIP/2.0', via(8, p), ...common(8, 'REGISTER'), 'Content-Length: 0']) },
  { name: 'BYE for no call', answer: 481, warnings: 0, data: (p) => request(['BYE sip:parley@127.0.0.1 SIP/2.0', via(9, p), `From: <sip:x@h>;tag=f9`, 'To: <sip:parley@h>;tag=nope', 'Call-ID: bad-9', 'CSeq: 2 BYE', 'Content-Length: 0']) },
  { name: 'garbage bytes', answer: null, warnings: 1, data: () => Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a, 0x99]) },
  { name: 'a bad start line', answer: null, warnings: 1, data: () => 'HELLO THERE\r\nVia: x\r\n\r\n' },
  {
    name: 'an INVITE with broken SDP',
    answer: 400,
    warnings: 1,
    data: (p) => {
      const sdp = 'v=0\r\nthis is not sdp\r\nm=audio many RTP/AVP 0\r\n';
      return request(['INVITE sip:parley@127.0.0.1 SIP/2.0', via(12, p), ...common(12, 'INVITE'), 'Contact: <sip:x@127.0.0.1>', 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`], sdp);
    },
  },
  {
    name: 'an INVITE whose SDP has no audio',
    answer: 400,
    warnings: 1,
    data: (p) => {
      const sdp = 'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\n';
      return request(['INVITE sip:parley@127.0.0.1 SIP/2.0', via(13, p), ...common(13, 'INVITE'), 'Contact: <sip:x@127.0.0.1>', 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`], sdp);
    },
  },
  {
    name: 'an INVITE that requires an extension (100rel)',
    answer: 420,
    warnings: 1,
    data: (p) => request(['INVITE sip:parley@127.0.0.1 SIP/2.0', via(15, p), ...common(15, 'INVITE'), 'Contact: <sip:x@127.0.0.1>', 'Require: 100rel', 'Content-Length: 0']),
  },
  { name: 'a response to nothing', answer: null, warnings: 0, data: (p) => request(['SIP/2.0 200 OK', via(14, p), ...common(14, 'INVITE'), 'Content-Length: 0']) },
];

describe('malformed SIP from the network', () => {
  let line: SipTelephony;
  let lines: Array<{ msg: string; level: number }>;
  let offered = 0;

  beforeAll(async () => {
    const made = makeLine(lineConfig({ server: '127.0.0.1', port: server.port }));
    line = made.line;
    lines = made.lines;
    line.onIncoming(() => offered++);
    await line.start();
  });
  afterAll(async () => {
    await line.dispose();
  });

  for (const item of corpus) {
    it(`${item.name}: ${item.answer ? `answers ${item.answer}` : 'no answer'}, ${item.warnings} log line(s)`, async () => {
      const socket = await udpSocket();
      const answers: string[] = [];
      socket.on('message', (data) => answers.push(data.toString().split('\r\n')[0]!));
      const before = lines.filter((l) => l.level >= WARN).length;
      socket.send(item.data(socket.address().port), line.localPort, '127.0.0.1');
      if (item.answer) await waitFor(() => answers.some((a) => !a.startsWith('SIP/2.0 100')), 2_000, `an answer to ${item.name}`);
      else await sleep(150);
      socket.close();
      const finals = answers.filter((a) => !a.startsWith('SIP/2.0 100'));
      expect(finals.map((a) => Number(a.split(' ')[1]))).toEqual(item.answer ? [item.answer] : []);
      const warnings = lines.filter((l) => l.level >= WARN).slice(before);
      expect(warnings.map((l) => l.msg)).toHaveLength(item.warnings);
    });
  }

  it('refuses an INVITE from an address that is not the line server with 403', async () => {
    const stranger = createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.2', () => resolve()));
    const answers: string[] = [];
    stranger.on('message', (data) => answers.push(data.toString().split('\r\n')[0]!));
    const sdp = 'v=0\r\no=x 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n';
    const port = stranger.address().port;
    const invite = request(['INVITE sip:parley@127.0.0.1 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.2:${port};branch=z9hG4bKstranger;rport`, ...common(40, 'INVITE'), 'Contact: <sip:x@127.0.0.2>', 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`], sdp);
    stranger.send(invite, line.localPort, '127.0.0.1');
    await waitFor(() => answers.length > 0, 2_000, 'an answer to the stranger');
    stranger.close();
    expect(answers).toEqual(['SIP/2.0 403 Forbidden']);
    expect(lines.filter((l) => /from 127\.0\.0\.2 refused: not the line's server/.test(l.msg))).toHaveLength(1);
  });

  it('still answers a good OPTIONS afterwards and never offered a bad INVITE', async () => {
    const socket = await udpSocket();
    const answers: string[] = [];
    socket.on('message', (data) => answers.push(data.toString().split('\r\n')[0]!));
    socket.send(request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', via(99, socket.address().port), ...common(99, 'OPTIONS'), 'Content-Length: 0']), line.localPort, '127.0.0.1');
    await waitFor(() => answers.length > 0, 2_000, 'OPTIONS answer');
    socket.close();
    expect(answers).toEqual(['SIP/2.0 200 OK']);
    expect(offered).toBe(0);
    expect(line.state().status).toBe('ready');
  });
});

describe('SIP over TCP', () => {
  it('answers OPTIONS on a TCP line and closes a connection that sends a 100 KB header', async () => {
    const { line, lines } = makeLine(lineConfig({ server: '127.0.0.1', port: server.port, transport: 'tcp' }));
    // The stand-in server only speaks UDP, so this line's own OPTIONS check fails; inbound still works.
    const started = line.start();
    try {
      await sleep(50);
      const good = await tcpExchange(line.localPort, request(['OPTIONS sip:parley@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKtcp1', ...common(20, 'OPTIONS'), 'Content-Length: 0']));
      expect(good.text.split('\r\n')[0]).toBe('SIP/2.0 200 OK');
      const huge = await tcpExchange(line.localPort, `OPTIONS sip:parley@127.0.0.1 SIP/2.0\r\nX-Huge: ${'b'.repeat(100_000)}`);
      expect(huge.closed).toBe(true);
      expect(huge.text).toBe('');
      expect(lines.filter((l) => /over the size limit, connection closed/.test(l.msg))).toHaveLength(1);
    } finally {
      await started.catch(() => undefined);
      await line.dispose();
    }
  });
});

function tcpExchange(port: number, data: string): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, 1_500);
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ text, closed: false });
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.on('error', () => undefined);
    socket.write(data);
  });
}

describe('the same call arriving twice', () => {
  it('answers the second INVITE (another branch, same Call-ID) with 482 and keeps ringing the first', async () => {
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: server.port }));
    let offered = 0;
    line.onIncoming(() => offered++);
    await line.start();
    const socket = await udpSocket();
    const answers: string[] = [];
    socket.on('message', (data) => answers.push(data.toString().split('\r\n')[0]!));
    const port = socket.address().port;
    const sdp = 'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n';
    const invite = (branch: string) =>
      request(['INVITE sip:parley@127.0.0.1 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${branch};rport`, ...common(50, 'INVITE'), 'Contact: <sip:x@127.0.0.1>', 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`], sdp);
    try {
      socket.send(invite('z9hG4bKfirst'), line.localPort, '127.0.0.1');
      await waitFor(() => answers.includes('SIP/2.0 180 Ringing'), 2_000, 'ringing');
      socket.send(invite('z9hG4bKsecond'), line.localPort, '127.0.0.1');
      await waitFor(() => answers.includes('SIP/2.0 482 Loop Detected'), 2_000, '482');
      expect(offered).toBe(1);
    } finally {
      socket.close();
      await line.dispose();
    }
  });
});
