import { describe, expect, it } from 'vitest';
import { lineConfig, makeLine, okResponder, udpSocket, waitFor } from './harness';

/** The network gone: retransmissions on UDP, the line red, dial refused, and recovery with backoff. */

describe('a SIP server that stops answering', () => {
  it('retransmits, goes unreachable, refuses calls, and recovers when the server answers again', async () => {
    const server = await udpSocket();
    const received: string[] = [];
    let answering = false;
    server.on('message', (data, from) => {
      const text = data.toString();
      received.push(text.split(' ')[0]!);
      if (!answering) return;
      const keep = text.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
      server.send(`SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\nContact: <sip:parley@127.0.0.1>;expires=120\r\nContent-Length: 0\r\n\r\n`, from.port, from.address);
    });
    const { line, lines } = makeLine(lineConfig({ server: '127.0.0.1', port: server.address().port, register: true }, 'pw'), {
      timers: { t1: 50, t2: 400 },
      registration: { retryBaseMs: 300, retryMaxMs: 2_000, keepAliveMs: 60_000 },
    });
    const states: string[] = [];
    line.onStateChange((state) => states.push(state.status));
    try {
      await line.start();
      expect(line.state().status).toBe('unreachable');
      expect(line.state().detail).toMatch(/cannot be reached: no answer to REGISTER/);
      // Timer E: 50, 100, 200, 400, 400 ... ms until Timer F (3.2 s): the first REGISTER and its retransmissions.
      expect(received.filter((m) => m === 'REGISTER').length).toBeGreaterThanOrEqual(7);
      await expect(line.dial({ callId: 'c-down', to: '+15551234567' })).rejects.toThrow(/unreachable.*not attempted/);
      expect(received).not.toContain('INVITE');
      expect(lines.filter((l) => l.level >= 40 && /cannot be reached/.test(l.msg))).toHaveLength(1);
      answering = true;
      await waitFor(() => line.state().status === 'ready', 6_000, 'the line to re-register');
      expect(states).toEqual(['registering', 'unreachable', 'ready']);
      expect(line.state().detail).toBe('Registered with 127.0.0.1 for 120 s');
    } finally {
      await line.dispose();
      server.close();
    }
  });
});

describe('a line closed while its registrar is silent', () => {
  it('closes at once instead of waiting out the REGISTER (an edited or removed line never hangs the console)', async () => {
    const server = await udpSocket();
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: server.address().port, register: true }, 'pw'));
    try {
      const starting = line.start().catch(() => undefined);
      await waitFor(() => line.state().status === 'registering', 2_000, 'the REGISTER to go out');
      const began = performance.now();
      await line.dispose();
      // Timer F on UDP would hold it 32 s; the bound is loose for a loaded machine.
      expect(performance.now() - began).toBeLessThan(10_000);
      expect(line.state().status).toBe('offline');
      await starting;
    } finally {
      server.close();
    }
  });
});

describe('a registrar that asks for more', () => {
  it('retries a 423 with Min-Expires, and re-binds the Contact the server saw behind NAT (received/rport)', async () => {
    const server = await udpSocket();
    const registers: Array<{ expires: string | undefined; contact: string | undefined }> = [];
    server.on('message', (data, from) => {
      const text = data.toString();
      if (!text.startsWith('REGISTER')) return;
      const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text)?.[1];
      registers.push({ expires: header('Expires'), contact: header('Contact') });
      // From the second REGISTER on, the server says it sees us at another address.
      const via = registers.length === 1 ? header('Via')! : `${header('Via')!.replace(/;rport(?=;|$)/, '')};received=203.0.113.7;rport=40000`;
      const keep = [`Via: ${via}`, `From: ${header('From')}`, `To: ${header('To')};tag=reg`, `Call-ID: ${header('Call-ID')}`, `CSeq: ${header('CSeq')}`];
      const reply = registers.length === 1 ? 'SIP/2.0 423 Interval Too Brief\r\nMin-Expires: 900' : 'SIP/2.0 200 OK';
      server.send(`${reply}\r\n${keep.join('\r\n')}\r\nExpires: ${header('Expires')}\r\nContent-Length: 0\r\n\r\n`, from.port, from.address);
    });
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: server.address().port, register: true, registerExpires: 300 }, 'pw'));
    try {
      await line.start();
      expect(line.state().detail).toBe('Registered with 127.0.0.1 for 900 s');
      await waitFor(() => registers.length >= 3, 2_000, 'a REGISTER with the Contact the server saw');
      expect(registers.map((r) => r.expires)).toEqual(['300', '900', '900']);
      expect(registers[1]!.contact).toMatch(/@127\.0\.0\.1:\d+>/);
      expect(registers[2]!.contact).toBe('<sip:parley@203.0.113.7:40000>');
    } finally {
      await line.dispose();
      server.close();
    }
  });
});

describe('registration refresh', () => {
  it('refreshes before the granted lifetime runs out', async () => {
    const server = await udpSocket();
    const times: number[] = [];
    server.on('message', (data, from) => {
      const text = data.toString();
      if (!text.startsWith('REGISTER')) return;
      times.push(Date.now());
      const keep = text.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
      // Grants 6 s whatever is asked: the line must come back before it lapses.
      server.send(`SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\nExpires: 6\r\nContent-Length: 0\r\n\r\n`, from.port, from.address);
    });
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: server.address().port, register: true }, 'pw'));
    try {
      await line.start();
      expect(line.state().detail).toBe('Registered with 127.0.0.1 for 6 s');
      await waitFor(() => times.length >= 2, 7_000, 'the refresh');
      expect(times[1]! - times[0]!).toBeLessThan(6_000);
      expect(line.state().status).toBe('ready');
    } finally {
      await line.dispose();
      server.close();
    }
  });
});

describe('OPTIONS keep-alive', () => {
  it('pings the server while registered and re-registers when the pings go unanswered', async () => {
    const server = await udpSocket();
    const seen: string[] = [];
    let answerOptions = true;
    server.on('message', (data, from) => {
      const text = data.toString();
      const method = text.split(' ')[0]!;
      seen.push(method);
      if (method === 'OPTIONS' && !answerOptions) return;
      const keep = text.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
      server.send(`SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n`, from.port, from.address);
    });
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: server.address().port, register: true }, 'pw'), {
      timers: { t1: 30, t2: 200 },
      registration: { retryBaseMs: 100, retryMaxMs: 1_000, keepAliveMs: 300 },
    });
    const states: string[] = [];
    line.onStateChange((state) => states.push(state.status));
    try {
      await line.start();
      await waitFor(() => seen.filter((m) => m === 'OPTIONS').length >= 2, 2_000, 'two keep-alive pings');
      expect(line.state().status).toBe('ready');
      answerOptions = false;
      await waitFor(() => states.includes('unreachable'), 4_000, 'the line to notice the silence');
      await waitFor(() => line.state().status === 'ready', 3_000, 'the re-registration');
      expect(seen.filter((m) => m === 'REGISTER').length).toBeGreaterThanOrEqual(2);
    } finally {
      await line.dispose();
      server.close();
    }
  });
});


describe('a line that cannot start', () => {
  it('says why, closes what it opened, and starts by itself once it can (its SIP port freed)', async () => {
    const server = await okResponder();
    const squatter = await udpSocket();
    const port = squatter.address().port;
    const { line, lines } = makeLine(lineConfig({ server: '127.0.0.1', port: server.port, localPort: port }), {
      registration: { retryBaseMs: 200, retryMaxMs: 1_000, keepAliveMs: 60_000 },
    });
    try {
      await expect(line.start()).rejects.toThrow(/EADDRINUSE/);
      expect(line.state()).toMatchObject({ status: 'unreachable', detail: expect.stringMatching(/^Cannot start: .*EADDRINUSE/) });
      squatter.close();
      await waitFor(() => line.state().status === 'ready', 5_000, 'the line to start by itself');
      expect(line.localPort).toBe(port);
      expect(lines.filter((l) => /Cannot start/.test(l.msg))).toHaveLength(1);
    } finally {
      await line.dispose();
      await server.close();
    }
  });

  it('a name that does not resolve leaves the line unreachable with the reason', async () => {
    const { line } = makeLine(lineConfig({ server: 'parley-test.invalid', port: 5060 }));
    try {
      await expect(line.start()).rejects.toThrow(/ENOTFOUND/);
      expect(line.state().detail).toMatch(/^Cannot start: .*parley-test\.invalid/);
    } finally {
      await line.dispose();
    }
  });
});
