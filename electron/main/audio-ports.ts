import { ipcMain, MessageChannelMain, type IpcMainInvokeEvent, type MessagePortMain } from 'electron';
import { AUDIO_IPC, AudioFrameError, decodeAudioFrame, encodeAudioFrame, ParleyError, type Outcome } from '../contracts';
import type { Engine } from '../engine';
import type { AudioStream } from '../engine/supervision/audio-streams';

/**
 * Live call audio in the desktop app: each stream the console opens (with a ticket from listen,
 * barge, take over or softphone) gets its own MessagePort, carrying the same binary frames as a
 * WebSocket does in server mode. The sender frame is checked before anything opens.
 */
export function registerAudioPorts(engine: Engine, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(AUDIO_IPC.open, async (event: IpcMainInvokeEvent, token: unknown): Promise<Outcome> => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedUrl(url)) {
      engine.context.logger.warn({ url }, 'rejected an audio stream from an untrusted frame');
      return { ok: false, error: { code: 'forbidden', message: 'Audio streams open only from the Parley console' } };
    }
    if (typeof token !== 'string' || token.length === 0 || token.length > 100) {
      return { ok: false, error: { code: 'invalid_payload', message: 'An audio stream needs the ticket its command returned' } };
    }
    const { port1, port2 } = new MessageChannelMain();
    try {
      bind(engine, token, port1);
    } catch (error) {
      port1.close();
      if (error instanceof ParleyError) return { ok: false, error: error.toShape() };
      throw error;
    }
    event.sender.postMessage(AUDIO_IPC.port, { token }, [port2]);
    port1.start();
    return { ok: true, result: null };
  });
  return () => ipcMain.removeHandler(AUDIO_IPC.open);
}

function bind(engine: Engine, token: string, port: MessagePortMain): AudioStream {
  let open = true;
  const stream = engine.context.supervision.audio.open(token, {
    send: (frame) => {
      if (open) port.postMessage(encodeAudioFrame(frame));
    },
    close: (reason) => {
      if (!open) return;
      open = false;
      port.postMessage(encodeAudioFrame({ kind: 'close', callId: '', sampleRate: 0, text: reason }));
      port.close();
    },
  });
  port.on('message', (message) => {
    let frame;
    try {
      frame = decodeAudioFrame(message.data as ArrayBuffer);
    } catch (error) {
      if (error instanceof AudioFrameError) engine.context.logger.warn({ err: error }, 'malformed audio frame from the console');
      return;
    }
    if (frame.kind === 'mic') stream.receive(frame);
    else if (frame.kind === 'close' && open) {
      open = false;
      stream.closed();
      port.close();
    }
  });
  port.on('close', () => {
    if (!open) return;
    open = false;
    stream.closed();
  });
  return stream;
}
