import type { WebSocket } from 'ws';
import { AudioFrameError, decodeAudioFrame, encodeAudioFrame, ParleyError, type AudioFrame } from '../contracts';
import type { Logger } from '../engine';
import type { AudioStream, AudioStreamHub } from '../engine/supervision/audio-streams';

/** Frames waiting in the socket beyond this are dropped: live audio that is late is useless. */
export const AUDIO_BACKLOG_BYTES = 512 * 1024;

interface OpenStream {
  callId: string;
  stream: AudioStream;
  closed: boolean;
}

export interface AudioChannel {
  receive(data: Buffer | ArrayBuffer | Buffer[]): void;
  close(): void;
}

/**
 * Live call audio as binary WebSocket frames (format: electron/contracts/audio-frames.ts) on a
 * console's socket. The console opens a stream with a ticket from a contract command (listen,
 * barge, take over, softphone), then audio flows both ways until either side closes it.
 */
export function serveAudioFrames(socket: WebSocket, hub: AudioStreamHub, logger: Logger, malformed: (message: string) => void): AudioChannel {
  const streams = new Set<OpenStream>();
  /** Calls already told they have no stream here: frames still in flight after a close are not errors each. */
  const told = new Set<string>();
  let dropped = 0;
  const send = (frame: AudioFrame) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > AUDIO_BACKLOG_BYTES && frame.samples) {
      dropped++;
      return;
    }
    socket.send(encodeAudioFrame(frame), { binary: true });
  };
  const fail = (callId: string, message: string) => send({ kind: 'error', callId, sampleRate: 0, text: message });

  const open = (callId: string, token: string) => {
    const entry: OpenStream = { callId, stream: { receive: () => undefined, closed: () => undefined }, closed: false };
    try {
      entry.stream = hub.open(token, {
        send,
        close: (reason) => {
          if (entry.closed) return;
          entry.closed = true;
          streams.delete(entry);
          send({ kind: 'close', callId: entry.callId, sampleRate: 0, text: reason });
        },
      });
    } catch (error) {
      fail(callId, error instanceof ParleyError ? error.message : 'The audio stream could not be opened');
      return;
    }
    if (entry.closed) return; // the engine refused it straight away and said why
    streams.add(entry);
    told.delete(callId);
    send({ kind: 'ready', callId, sampleRate: 0 });
  };

  const closeCall = (callId: string) => {
    for (const entry of [...streams]) {
      if (entry.callId !== callId) continue;
      entry.closed = true;
      streams.delete(entry);
      entry.stream.closed();
    }
  };

  return {
    receive(data) {
      let frame: AudioFrame;
      try {
        frame = decodeAudioFrame(Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data);
      } catch (error) {
        // Not tied to any stream: a protocol error, answered like a malformed JSON frame.
        malformed(`Malformed audio frame: ${error instanceof AudioFrameError ? error.message : 'unreadable'}`);
        return;
      }
      if (frame.kind === 'open') return open(frame.callId, frame.text ?? '');
      if (frame.kind === 'close') return closeCall(frame.callId);
      if (frame.kind !== 'mic') return fail(frame.callId, `A console may send only open, close and mic frames, not ${frame.kind}`);
      let delivered = false;
      for (const entry of streams) {
        if (entry.callId !== frame.callId) continue;
        entry.stream.receive(frame);
        delivered = true;
      }
      if (!delivered && !told.has(frame.callId)) {
        told.add(frame.callId);
        fail(frame.callId, 'No open audio stream for this call on this connection');
      }
    },
    close() {
      for (const entry of streams) {
        entry.closed = true;
        entry.stream.closed();
      }
      streams.clear();
      if (dropped > 0) logger.info({ dropped }, 'audio frames dropped on a slow console connection');
    },
  };
}
