import { z } from 'zod';
import { RpcErrorShape } from './errors';

/** Largest JSON message a host accepts; larger ones get a `too_large` error, not a dropped socket. */
export const MAX_MESSAGE_BYTES = 1_000_000;

/** WebSocket path of the RPC endpoint in server mode. */
export const RPC_PATH = '/rpc';

/** WebSocket close code the server uses when a socket never signed in or its session ended. */
export const CLOSE_UNAUTHORIZED = 4401;

export const InvokeFrame = z.object({
  type: z.literal('invoke'),
  id: z.union([z.string().max(64), z.number().int()]),
  command: z.string().max(128),
  payload: z.unknown(),
});
export type InvokeFrame = z.infer<typeof InvokeFrame>;

export type Outcome<T = unknown> = { ok: true; result: T } | { ok: false; error: RpcErrorShape };

export type ResultFrame = { type: 'result'; id: string | number } & Outcome;
export type EventFrame = { type: 'event'; event: string; payload: unknown };
/** Sent for a frame that could not be tied to a request id (unparseable JSON, no id). */
export type ProtocolErrorFrame = { type: 'error'; error: RpcErrorShape };
export type ServerFrame = ResultFrame | EventFrame | ProtocolErrorFrame;

/** IPC channel names used by the Electron bridge and the preload. */
export const ipcChannel = {
  command: (name: string) => `parley:cmd:${name}`,
  event: 'parley:event',
  /** The desktop app's window asks for a call's recording bytes (structured clone, never JSON). */
  recording: 'parley:recording',
} as const;

/** A recording as the desktop app's preload hands it over. */
export type RecordingBytes = { ok: true; bytes: Uint8Array; contentType: string } | { ok: false; error: { code: string; message: string } };

/** `GET <RECORDINGS_PATH>/<callId>` serves a call's recording (with `Authorization: Bearer <session token>`, HTTP Range). */
export const RECORDINGS_PATH = '/recordings';
