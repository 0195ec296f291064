import type { WebSocket } from 'ws';
import { InvokeFrame, MAX_MESSAGE_BYTES, type ServerFrame } from '../contracts';
import type { Engine, Logger } from '../engine';
import { serveAudioFrames } from './audio-socket';

/** Hard cap at the socket layer; anything between this and MAX_MESSAGE_BYTES gets a typed error. */
export const SOCKET_MAX_PAYLOAD = 16 * MAX_MESSAGE_BYTES;

/** Serves the contract over one WebSocket: JSON invoke frames in, result and event frames out. */
export function serveRpcSocket(socket: WebSocket, engine: Engine, logger: Logger): void {
  const send = (frame: ServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const unsubscribe = engine.subscribe((event) => send({ type: 'event', event: event.name, payload: event.payload }));
  socket.on('close', unsubscribe);
  // Binary frames carry live call audio (listen in, barge in, take over, softphone).
  const audio = serveAudioFrames(socket, engine.context.supervision.audio, logger, (message) => send({ type: 'error', error: { code: 'bad_request', message } }));
  socket.on('close', () => audio.close());
  socket.on('error', (error) => logger.warn({ err: error }, 'rpc socket error'));

  socket.on('message', async (data, isBinary) => {
    if (isBinary) {
      audio.receive(data);
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      send({ type: 'error', error: { code: 'bad_request', message: 'Frame is not valid JSON' } });
      return;
    }
    const frame = InvokeFrame.safeParse(raw);
    const id = idOf(raw);
    if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
      const error = { code: 'too_large' as const, message: `Message exceeds ${MAX_MESSAGE_BYTES} bytes` };
      send(id === undefined ? { type: 'error', error } : { type: 'result', id, ok: false, error });
      return;
    }
    if (!frame.success) {
      const error = { code: 'bad_request' as const, message: 'Expected {type:"invoke", id, command, payload}' };
      send(id === undefined ? { type: 'error', error } : { type: 'result', id, ok: false, error });
      return;
    }
    const outcome = await engine.invoke(frame.data.command, frame.data.payload);
    send({ type: 'result', id: frame.data.id, ...outcome });
  });
}

function idOf(raw: unknown): string | number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}
