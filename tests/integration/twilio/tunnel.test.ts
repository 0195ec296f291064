import { createServer, connect, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenTunnel } from '../../../electron/engine/telephony/twilio/tunnel';
import { until } from '../audiosocket/support/asterisk-side';
import { openTwilioLine, AUTH_TOKEN } from './support/line';

/**
 * A stand-in for ngrok, for tests only: a TCP relay on another loopback port to whatever the line
 * asks it to forward to (ngrok's edge does the same from the internet).
 */
function relayTunnel() {
  const opened: Array<{ host: string; port: number; authtoken: string }> = [];
  const servers: Server[] = [];
  const open: OpenTunnel = async (target, authtoken) => {
    opened.push({ ...target, authtoken });
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      const upstream = connect(target.port, target.host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy(); // idle keep-alive connections would hold close() open
        }),
    };
  };
  return { open, opened, servers };
}

describe('a Twilio line reached through a tunnel', () => {
  let opened: Awaited<ReturnType<typeof openTwilioLine>> | undefined;
  afterEach(async () => {
    await opened?.line.dispose();
    await opened?.fake.close();
  });

  it('opens the tunnel to its webhook listener only, takes calls through it, and closes it', async () => {
    const tunnel = relayTunnel();
    opened = await openTwilioLine({ reachability: 'ngrok', publicBaseUrl: undefined }, { openTunnel: tunnel.open }, JSON.stringify({ authToken: AUTH_TOKEN, tunnelAuthtoken: 'ngrok-token' }));
    await opened.line.start();
    expect(opened.line.state()).toMatchObject({ status: 'ready', detail: expect.stringContaining(`webhooks reachable at http://127.0.0.1:`) });
    expect(tunnel.opened).toEqual([{ host: '127.0.0.1', port: opened.port, authtoken: 'ngrok-token' }]);
    const publicUrl = `http://127.0.0.1:${(tunnel.servers[0]!.address() as { port: number }).port}`;
    // Twilio is told the tunnel's URL, and the whole call runs through it.
    expect(opened.fake.numbers[0]!.voiceUrl).toBe(`${publicUrl}/twilio/line-tw/voice`);
    const leg = await opened.line.dial({ callId: 't1', to: '+15551234567', detectMachine: true });
    const seen: string[] = [];
    leg.onEvent((e) => seen.push(e.type));
    await until(() => seen.includes('answered'), 5_000);
    expect(opened.fake.last()!.twiml).toContain(`ws://127.0.0.1:${(tunnel.servers[0]!.address() as { port: number }).port}/twilio/line-tw/stream/`);
    // Through the tunnel, nothing but Twilio's paths answers.
    for (const path of ['/metrics', '/health', '/rpc', '/api/v1/openapi.json']) expect((await fetch(`${publicUrl}${path}`)).status).toBe(404);
    await leg.hangup();
    await opened.line.dispose();
    expect(tunnel.servers[0]!.listening).toBe(false);
    opened = { ...opened, line: { dispose: async () => undefined } as never };
  });

  it('a tunnel that fails at start is tried again until the line is ready', async () => {
    const tunnel = relayTunnel();
    let attempts = 0;
    const flaky: OpenTunnel = async (target, token) => {
      if (++attempts === 1) throw new Error('ERR_NGROK_3200: the tunnel service is unreachable');
      return tunnel.open(target, token);
    };
    opened = await openTwilioLine({ reachability: 'ngrok', publicBaseUrl: undefined }, { openTunnel: flaky, recheckMs: 100 }, JSON.stringify({ authToken: AUTH_TOKEN, tunnelAuthtoken: 'ngrok-token' }));
    await expect(opened.line.start()).rejects.toThrow(/ERR_NGROK_3200/);
    expect(opened.line.state()).toMatchObject({ status: 'unreachable' });
    await until(() => opened!.line.state().status === 'ready', 5_000);
    expect(attempts).toBe(2);
    // The listener opened once: the retry reused it.
    expect(tunnel.opened).toHaveLength(1);
  });

  it('says what is missing when the tunnel has no authtoken, or cannot open', async () => {
    opened = await openTwilioLine({ reachability: 'ngrok', publicBaseUrl: undefined });
    await expect(opened.line.start()).rejects.toThrow(/no ngrok authtoken/);
    await opened.line.dispose();
    await opened.fake.close();
    opened = await openTwilioLine({ reachability: 'ngrok', publicBaseUrl: undefined }, { openTunnel: async () => Promise.reject(new Error('ERR_NGROK_105: invalid authtoken')) }, JSON.stringify({ authToken: AUTH_TOKEN, tunnelAuthtoken: 'bad' }));
    await expect(opened.line.start()).rejects.toThrow(/ERR_NGROK_105/);
    expect(opened.line.state()).toMatchObject({ status: 'unreachable' });
  });
});
