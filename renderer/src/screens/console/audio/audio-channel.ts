import {
  AUDIO_IPC,
  decodeAudioFrame,
  encodeAudioFrame,
  ParleyError,
  PRELOAD_GLOBAL,
  RPC_PATH,
  SESSION_STORAGE_KEY,
  type AudioFrame,
  type AudioStreamTicket,
  type PreloadApi,
} from '../../../../../electron/contracts';

/** One live audio stream: frames both ways until either side closes it. */
export interface AudioChannel {
  readonly callId: string;
  send(frame: AudioFrame): void;
  onFrame(listener: (frame: AudioFrame) => void): () => void;
  /** Once, with the reason, whoever closed it. */
  onClose(listener: (reason: string) => void): void;
  close(): void;
}

const OPEN_TIMEOUT_MS = 8_000;

/**
 * Opens the stream a command's ticket allows: a MessagePort inside Electron, a WebSocket of its own
 * in a browser (one per stream, so audio never queues behind the console's events).
 */
export function openAudioChannel(ticket: AudioStreamTicket): Promise<AudioChannel> {
  const api = (globalThis as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL];
  return api?.openAudio ? openPort(api, ticket) : openSocket(ticket);
}

class Channel implements AudioChannel {
  private readonly frameListeners = new Set<(frame: AudioFrame) => void>();
  private readonly closeListeners: Array<(reason: string) => void> = [];
  private closed = false;

  constructor(
    readonly callId: string,
    private readonly post: (data: ArrayBuffer) => void,
    private readonly shut: () => void,
  ) {}

  send(frame: AudioFrame): void {
    if (!this.closed) this.post(encodeAudioFrame(frame));
  }

  onFrame(listener: (frame: AudioFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  deliver(frame: AudioFrame): void {
    if (frame.kind === 'close') return this.ended(frame.text || 'The stream was closed');
    for (const listener of this.frameListeners) listener(frame);
  }

  ended(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.shut();
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }

  close(): void {
    if (this.closed) return;
    this.post(encodeAudioFrame({ kind: 'close', callId: this.callId, sampleRate: 0 }));
    this.ended('Closed here');
  }
}

function sessionToken(): string | null {
  try {
    return sessionStorage.getItem(SESSION_STORAGE_KEY);
  } catch {
    return null;
  }
}

function openSocket(ticket: AudioStreamTicket): Promise<AudioChannel> {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}${RPC_PATH}`);
  socket.binaryType = 'arraybuffer';
  const channel = new Channel(ticket.callId, (data) => socket.readyState === WebSocket.OPEN && socket.send(data), () => socket.close());
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => fail('The audio stream did not open in time'), OPEN_TIMEOUT_MS);
    const fail = (message: string) => {
      clearTimeout(timer);
      if (!ready) reject(new ParleyError('transport', message));
      channel.ended(message);
    };
    // Like every socket, this one signs in first (with the console's session), then opens the stream.
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', id: 'audio', credentials: { token: sessionToken() ?? '' } })));
    socket.addEventListener('message', (message) => {
      if (typeof message.data === 'string') {
        const reply = JSON.parse(message.data) as { id?: unknown; ok?: boolean; error?: { message?: string } };
        if (reply.id !== 'audio') return;
        if (reply.ok) socket.send(encodeAudioFrame({ kind: 'open', callId: ticket.callId, sampleRate: 0, text: ticket.token }));
        else fail(reply.error?.message ?? 'Sign in again to hear calls');
        return;
      }
      let frame: AudioFrame;
      try {
        frame = decodeAudioFrame(message.data as ArrayBuffer);
      } catch {
        return;
      }
      if (!ready && frame.kind === 'ready') {
        ready = true;
        clearTimeout(timer);
        resolve(channel);
      } else if (frame.kind === 'error') {
        fail(frame.text || 'The audio stream failed');
      } else channel.deliver(frame);
    });
    socket.addEventListener('close', () => fail('The audio connection closed'));
    socket.addEventListener('error', () => fail('Cannot reach Parley for audio'));
  });
}

function openPort(api: PreloadApi, ticket: AudioStreamTicket): Promise<AudioChannel> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new ParleyError('transport', 'The audio stream did not open in time'));
    }, OPEN_TIMEOUT_MS);
    const onMessage = (event: MessageEvent) => {
      const data = event.data as Record<string, unknown> | null;
      if (event.source !== window || !data || data[AUDIO_IPC.windowTag] !== ticket.token || !event.ports[0]) return;
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      const port = event.ports[0];
      const channel = new Channel(ticket.callId, (buffer) => port.postMessage(buffer, [buffer]), () => port.close());
      port.onmessage = (message) => {
        try {
          channel.deliver(decodeAudioFrame(message.data as ArrayBuffer));
        } catch {
          // a malformed frame is dropped, the stream goes on
        }
      };
      port.start();
      resolve(channel);
    };
    window.addEventListener('message', onMessage);
    void api.openAudio!(ticket.token).then((outcome) => {
      if (outcome.ok) return;
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      reject(ParleyError.fromShape(outcome.error));
    });
  });
}
