import { decodeG711 } from './g711';
import { clamp16 } from './pcm';

/** RIFF/WAVE reading and writing. Any common encoding in, PCM16 mono out. */

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export interface WavFormat {
  /** 1 PCM, 3 IEEE float, 6 A-law, 7 mu-law (WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format). */
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

export interface WavHeader extends WavFormat {
  dataOffset: number;
  /** Declared size of the data chunk; streaming writers (espeak-ng --stdout) put a huge placeholder. */
  declaredDataBytes: number;
}

export interface DecodedWav {
  samples: Int16Array;
  sampleRate: number;
  channels: number;
  /** The data chunk holds fewer bytes than its header declares (and the size was not a streaming placeholder). */
  truncated: boolean;
}

const STREAMING_SIZES = new Set([0, 0xffffffff, 0x7ffff000, 0x7fffffff]);

/** Parses the header; returns undefined when more bytes are needed to reach the data chunk. */
export function parseWavHeader(bytes: Uint8Array): WavHeader | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') throw new WavFormatError('Not a WAV file (no RIFF/WAVE header)');
  let offset = 12;
  let format: WavFormat | undefined;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + 16 > bytes.length) return undefined;
      format = readFormat(view, body, size);
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('WAV data chunk comes before its fmt chunk');
      return { ...format, dataOffset: body, declaredDataBytes: size };
    }
    offset = body + size + (size & 1);
  }
  return undefined;
}

function readFormat(view: DataView, at: number, size: number): WavFormat {
  let formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (formatTag === 0xfffe && size >= 40) formatTag = view.getUint16(at + 24, true);
  if (channels < 1 || channels > 16) throw new WavFormatError(`WAV has ${channels} channels`);
  if (sampleRate < 1000 || sampleRate > 384_000) throw new WavFormatError(`WAV sample rate ${sampleRate} Hz is out of range`);
  const supported =
    (formatTag === 1 && [8, 16, 24, 32].includes(bitsPerSample)) ||
    (formatTag === 3 && bitsPerSample === 32) ||
    ((formatTag === 6 || formatTag === 7) && bitsPerSample === 8);
  if (!supported) throw new WavFormatError(`Unsupported WAV encoding (format ${formatTag}, ${bitsPerSample} bits)`);
  if (blockAlign !== (channels * bitsPerSample) / 8) throw new WavFormatError('WAV block alignment does not match its channels and sample size');
  return { formatTag, channels, sampleRate, bitsPerSample, blockAlign };
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** Whole sample frames in `bytes` -> PCM16 mono (channels averaged). */
export function decodeSampleFrames(format: WavFormat, bytes: Uint8Array): Int16Array {
  const frames = Math.floor(bytes.length / format.blockAlign);
  const { channels, formatTag, bitsPerSample } = format;
  let interleaved: Int16Array;
  if (formatTag === 6 || formatTag === 7) {
    interleaved = decodeG711(formatTag === 7 ? 'mulaw' : 'alaw', bytes.subarray(0, frames * channels));
  } else {
    interleaved = new Int16Array(frames * channels);
    const view = new DataView(bytes.buffer, bytes.byteOffset, frames * format.blockAlign);
    const step = bitsPerSample / 8;
    for (let i = 0; i < interleaved.length; i++) {
      const at = i * step;
      let value: number;
      if (formatTag === 3) value = Math.round(view.getFloat32(at, true) * 32767);
      else if (bitsPerSample === 8) value = (view.getUint8(at) - 128) << 8;
      else if (bitsPerSample === 16) value = view.getInt16(at, true);
      else if (bitsPerSample === 24) value = ((view.getUint8(at + 2) << 24) | (view.getUint8(at + 1) << 16) | (view.getUint8(at) << 8)) >> 16;
      else value = view.getInt32(at, true) >> 16;
      interleaved[i] = clamp16(value);
    }
  }
  if (channels === 1) return interleaved;
  const mono = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c]!;
    mono[f] = Math.round(sum / channels);
  }
  return mono;
}

export function decodeWav(bytes: Uint8Array): DecodedWav {
  const header = parseWavHeader(bytes);
  if (!header) throw new WavFormatError(bytes.length < 12 ? 'WAV file is empty or truncated' : 'WAV file has no data chunk (truncated?)');
  const available = bytes.length - header.dataOffset;
  const streamed = STREAMING_SIZES.has(header.declaredDataBytes);
  const dataBytes = streamed ? available : Math.min(available, header.declaredDataBytes);
  return {
    samples: decodeSampleFrames(header, bytes.subarray(header.dataOffset, header.dataOffset + dataBytes)),
    sampleRate: header.sampleRate,
    channels: header.channels,
    truncated: !streamed && available < header.declaredDataBytes,
  };
}

/** PCM16 mono -> a canonical 44-byte-header WAV file. */
export function encodeWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  const put = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i]!, true);
  return out;
}

/**
 * Decodes a WAV as it arrives (a TTS process writing to stdout): each push returns the PCM16 mono
 * samples completed so far, so the first audio can play before the process finishes.
 */
export class WavStreamDecoder {
  private head: Uint8Array = new Uint8Array(0);
  private header: WavHeader | undefined;
  private remainder: Uint8Array = new Uint8Array(0);
  private received = 0;

  get format(): WavHeader | undefined {
    return this.header;
  }

  push(chunk: Uint8Array): Int16Array {
    if (!this.header) {
      this.head = concatBytes(this.head, chunk);
      if (this.head.length > 1_000_000) throw new WavFormatError('No WAV data chunk in the first megabyte');
      this.header = parseWavHeader(this.head);
      if (!this.header) return new Int16Array(0);
      chunk = this.head.subarray(this.header.dataOffset);
      this.head = new Uint8Array(0);
    }
    const bytes = concatBytes(this.remainder, chunk);
    const whole = bytes.length - (bytes.length % this.header.blockAlign);
    this.remainder = bytes.slice(whole);
    this.received += whole;
    return decodeSampleFrames(this.header, bytes.subarray(0, whole));
  }

  /** Bytes of sample data decoded so far. */
  get dataBytes(): number {
    return this.received;
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
