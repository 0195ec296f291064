/**
 * The AudioSocket wire format (Asterisk's app_audiosocket / chan_audiosocket): each message is a
 * 1-byte kind, a 2-byte big-endian payload length, then the payload. Audio is signed linear 16-bit
 * little-endian mono; its kind says its rate.
 */

export const Kind = {
  hangup: 0x00,
  uuid: 0x01,
  dtmf: 0x03,
  audio8k: 0x10,
  error: 0xff,
} as const;

/** Audio kinds and their sample rates (0x10 is the original 8 kHz; the rest came with Asterisk 20+). */
export const AUDIO_RATES: ReadonlyMap<number, number> = new Map([
  [0x10, 8_000],
  [0x11, 12_000],
  [0x12, 16_000],
  [0x13, 24_000],
  [0x14, 32_000],
  [0x15, 44_100],
  [0x16, 48_000],
  [0x17, 96_000],
  [0x18, 192_000],
]);

/** Asterisk's error codes (bit flags in the 1-byte payload of an error message). */
const ASTERISK_ERRORS: Array<[number, string]> = [
  [0x01, 'the calling party hung up'],
  [0x02, 'frame forwarding error'],
  [0x04, 'memory allocation error'],
];

/** The largest payload accepted: 100 ms of 16 kHz audio is 3,200 bytes; anything near 64 KB is not a call. */
export const MAX_PAYLOAD = 8_192;
const DTMF_DIGIT = /^[0-9*#A-Da-d]$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AudioSocketMessage =
  | { kind: 'hangup' }
  | { kind: 'uuid'; uuid: string }
  | { kind: 'dtmf'; digit: string }
  | { kind: 'audio'; sampleRate: number; samples: Int16Array }
  | { kind: 'error'; code: number | null; reason: string };

export class AudioSocketProtocolError extends Error {}

export function kindForRate(sampleRate: number): number {
  for (const [kind, rate] of AUDIO_RATES) if (rate === sampleRate) return kind;
  throw new RangeError(`AudioSocket has no audio kind for ${sampleRate} Hz`);
}

export function encodeMessage(kind: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  if (payload.length > 0xffff) throw new RangeError('AudioSocket payload over 65,535 bytes');
  const out = Buffer.alloc(3 + payload.length);
  out[0] = kind;
  out.writeUInt16BE(payload.length, 1);
  out.set(payload, 3);
  return out;
}

export function encodeAudio(samples: Int16Array, sampleRate: number): Buffer {
  const payload = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) payload.writeInt16LE(samples[i]!, i * 2);
  return encodeMessage(kindForRate(sampleRate), payload);
}

export const encodeHangup = (): Buffer => encodeMessage(Kind.hangup);
export const encodeError = (code: number): Buffer => encodeMessage(Kind.error, Uint8Array.of(code & 0xff));

export function encodeDtmf(digit: string): Buffer {
  if (!DTMF_DIGIT.test(digit)) throw new RangeError(`Not a DTMF digit: ${JSON.stringify(digit)}`);
  return encodeMessage(Kind.dtmf, Buffer.from(digit.toUpperCase(), 'ascii'));
}

export function uuidToBytes(uuid: string): Uint8Array {
  if (!UUID_TEXT.test(uuid)) throw new RangeError(`Not a UUID: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function uuidFromBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const encodeUuid = (uuid: string): Buffer => encodeMessage(Kind.uuid, uuidToBytes(uuid));

export function describeError(code: number | null): string {
  if (code === null) return 'error (no code)';
  const known = ASTERISK_ERRORS.filter(([bit]) => code & bit).map(([, text]) => text);
  return known.length > 0 ? `${known.join(', ')} (code 0x${code.toString(16).padStart(2, '0')})` : `application error code 0x${code.toString(16).padStart(2, '0')}`;
}

function decodeMessage(kind: number, payload: Buffer): AudioSocketMessage {
  if (kind === Kind.hangup) return { kind: 'hangup' };
  if (kind === Kind.uuid) {
    if (payload.length !== 16) throw new AudioSocketProtocolError(`UUID message of ${payload.length} bytes (16 expected)`);
    return { kind: 'uuid', uuid: uuidFromBytes(payload) };
  }
  if (kind === Kind.dtmf) {
    const digit = payload.toString('ascii');
    if (payload.length !== 1 || !DTMF_DIGIT.test(digit)) throw new AudioSocketProtocolError(`DTMF message with payload ${payload.toString('hex') || '(empty)'} (one digit expected)`);
    return { kind: 'dtmf', digit: digit.toUpperCase() };
  }
  if (kind === Kind.error) {
    const code = payload.length > 0 ? payload[0]! : null;
    return { kind: 'error', code, reason: describeError(code) };
  }
  const sampleRate = AUDIO_RATES.get(kind);
  if (sampleRate !== undefined) {
    if (payload.length % 2 !== 0) throw new AudioSocketProtocolError(`audio message of ${payload.length} bytes (16-bit samples need an even count)`);
    const samples = new Int16Array(payload.length / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = payload.readInt16LE(i * 2);
    return { kind: 'audio', sampleRate, samples };
  }
  throw new AudioSocketProtocolError(`unknown message kind 0x${kind.toString(16).padStart(2, '0')}`);
}

/**
 * Cuts a TCP byte stream into messages. Holds at most one partial message (bounded by MAX_PAYLOAD);
 * a bad message throws AudioSocketProtocolError and the connection should be closed.
 */
export class MessageDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload = MAX_PAYLOAD) {}

  push(chunk: Buffer): AudioSocketMessage[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: AudioSocketMessage[] = [];
    let offset = 0;
    while (this.buffer.length - offset >= 3) {
      const kind = this.buffer[offset]!;
      const length = this.buffer.readUInt16BE(offset + 1);
      if (length > this.maxPayload) throw new AudioSocketProtocolError(`message of ${length} bytes (at most ${this.maxPayload})`);
      if (this.buffer.length - offset < 3 + length) break;
      messages.push(decodeMessage(kind, this.buffer.subarray(offset + 3, offset + 3 + length)));
      offset += 3 + length;
    }
    this.buffer = offset === 0 ? this.buffer : Buffer.from(this.buffer.subarray(offset));
    return messages;
  }

  /** Bytes of a message not yet complete. */
  get pending(): number {
    return this.buffer.length;
  }
}
