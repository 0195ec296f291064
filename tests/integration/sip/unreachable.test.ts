import { describe, expect, it } from 'vitest';
import { lineConfig, makeLine, udpSocket, waitFor } from './harness';

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
