import type { Socket } from 'node:dgram';
import { Writable } from 'node:stream';
import pino from 'pino';
import { rms } from '../../../electron/engine/audio/pcm';

/** A logger whose lines the test can read. */
export function capturingLogger() {
  const lines: Array<{ msg: string; problem?: string }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

export function sine(hz: number, ms: number, amplitude = 8_000, sampleRate = 8_000): Int16Array {
  const out = new Int16Array(Math.round((sampleRate * ms) / 1000));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return out;
}

export const loud = (frame: Int16Array) => rms(frame) > 0.05;



export function sendRaw(socket: Socket, bytes: Uint8Array, port: number): Promise<void> {
  return new Promise((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
}

export { loopbackUdpSocket as rawSocket, sleep, waitFor } from '../../support/wait';
