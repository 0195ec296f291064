/**
 * Live call audio as binary frames: binary WebSocket messages in server mode, MessagePort messages
 * in Electron. Audio never goes through JSON. One frame:
 *
 *   0  u8   magic 0x50 ('P')
 *   1  u8   version (1)
 *   2  u8   kind (AUDIO_KIND)
 *   3  u8   call id length in bytes (0..64)
 *   4  u32  sample rate, little endian (0 for control frames)
 *   8  ..   call id (UTF-8), padded with one zero byte to an even offset
 *   ..      payload: PCM16 little endian mono for audio kinds, UTF-8 text for open/error
 */

export const AUDIO_FRAME_MAGIC = 0x50;
export const AUDIO_FRAME_VERSION = 1;

export const AUDIO_KIND = {
  /** client -> engine: open the stream a command's ticket allows; payload is the token. */
  open: 1,
  /** either way: the stream is over; payload may say why. */
  close: 2,
  /** engine -> client: the stream is open. */
  ready: 3,
  /** engine -> client: the stream could not open or broke; payload is the message. */
  error: 4,
  /** engine -> client: what the caller says. */
  caller: 10,
  /** engine -> client: what the AI agent says. */
  agent: 11,
  /** engine -> client: a supervisor's voice on the call. */
  supervisor: 12,
  /** client -> engine: the desk agent's microphone. */
  mic: 13,
  /** engine -> client: drop audio queued for playback (the caller barged in). */
  clear: 14,
} as const;

export type AudioFrameKind = keyof typeof AUDIO_KIND;

const KIND_BY_CODE = new Map<number, AudioFrameKind>(Object.entries(AUDIO_KIND).map(([k, v]) => [v, k as AudioFrameKind]));

export interface AudioFrame {
  kind: AudioFrameKind;
  callId: string;
  sampleRate: number;
  samples?: Int16Array;
  text?: string;
}

export const MAX_AUDIO_FRAME_SAMPLES = 48_000; // one second at 48 kHz: far more than a 20 ms frame
const HEADER = 8;
const MAX_CALL_ID = 64;

export class AudioFrameError extends Error {}

export function encodeAudioFrame(frame: AudioFrame): ArrayBuffer {
  const id = new TextEncoder().encode(frame.callId);
  if (id.length > MAX_CALL_ID) throw new AudioFrameError('Call id is longer than 64 bytes');
  const idEnd = HEADER + id.length;
  const payloadAt = idEnd + (idEnd % 2);
  const text = frame.text === undefined ? undefined : new TextEncoder().encode(frame.text);
  const samples = frame.samples;
  if (samples && samples.length > MAX_AUDIO_FRAME_SAMPLES) throw new AudioFrameError('Audio frame is too long');
  const payloadBytes = text ? text.length : samples ? samples.length * 2 : 0;
  const buffer = new ArrayBuffer(payloadAt + payloadBytes);
  const view = new DataView(buffer);
  view.setUint8(0, AUDIO_FRAME_MAGIC);
  view.setUint8(1, AUDIO_FRAME_VERSION);
  view.setUint8(2, AUDIO_KIND[frame.kind]);
  view.setUint8(3, id.length);
  view.setUint32(4, frame.sampleRate >>> 0, true);
  new Uint8Array(buffer, HEADER, id.length).set(id);
  if (text) new Uint8Array(buffer, payloadAt, text.length).set(text);
  else if (samples) for (let i = 0; i < samples.length; i++) view.setInt16(payloadAt + i * 2, samples[i]!, true);
  return buffer;
}

/** Decodes one frame; throws AudioFrameError with a reason for anything malformed. */
export function decodeAudioFrame(data: ArrayBuffer | ArrayBufferView): AudioFrame {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < HEADER) throw new AudioFrameError('Audio frame is shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== AUDIO_FRAME_MAGIC || view.getUint8(1) !== AUDIO_FRAME_VERSION) throw new AudioFrameError('Not a Parley audio frame (bad magic or version)');
  const kind = KIND_BY_CODE.get(view.getUint8(2));
  if (!kind) throw new AudioFrameError(`Unknown audio frame kind ${view.getUint8(2)}`);
  const idLength = view.getUint8(3);
  if (idLength > MAX_CALL_ID || HEADER + idLength > bytes.length) throw new AudioFrameError('Audio frame call id is out of bounds');
  const sampleRate = view.getUint32(4, true);
  const callId = new TextDecoder().decode(bytes.subarray(HEADER, HEADER + idLength));
  const idEnd = HEADER + idLength;
  const payloadAt = idEnd + (idEnd % 2);
  const payload = bytes.subarray(Math.min(payloadAt, bytes.length));
  if (kind === 'open' || kind === 'error' || kind === 'close') return { kind, callId, sampleRate, text: new TextDecoder().decode(payload) };
  if (kind === 'caller' || kind === 'agent' || kind === 'supervisor' || kind === 'mic') {
    if (payload.length % 2 !== 0) throw new AudioFrameError('PCM16 payload has an odd number of bytes');
    if (sampleRate < 8_000 || sampleRate > 96_000) throw new AudioFrameError(`Unsupported sample rate ${sampleRate}`);
    const count = payload.length / 2;
    if (count > MAX_AUDIO_FRAME_SAMPLES) throw new AudioFrameError('Audio frame is too long');
    const samples = new Int16Array(count);
    const pcm = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    for (let i = 0; i < count; i++) samples[i] = pcm.getInt16(i * 2, true);
    return { kind, callId, sampleRate, samples };
  }
  return { kind, callId, sampleRate };
}

/**
 * Electron: the console asks for a stream on `open` (with its ticket); the main process answers
 * with a MessagePort on `port`, which the preload hands to the page as a window message tagged
 * `windowTag` (a MessagePort cannot cross the context bridge as a return value).
 */
export const AUDIO_IPC = { open: 'parley:audio:open', port: 'parley:audio:port', windowTag: 'parleyAudioPort' } as const;
