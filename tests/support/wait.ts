import { createSocket, type Socket } from 'node:dgram';

/** Polls `condition` every 10 ms; rejects naming `what` once `timeoutMs` has passed. */
export function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(check, 10);
    };
    check();
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A UDP socket bound to a free loopback port. */
export async function loopbackUdpSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket;
}

/** Polls `probe` every 100 ms until it gives a value; rejects naming `what` once `timeoutMs` has passed. */
export async function waitForValue<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
