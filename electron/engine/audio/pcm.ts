import { FRAME_MS } from '../ports/audio';

/** Sample rates the pipeline converts between (phone lines, models, TTS voices, sound cards). */
export const PIPELINE_RATES = [8_000, 16_000, 24_000, 48_000] as const;

/** Samples in one 20 ms frame at `sampleRate`. */
export function frameSamples(sampleRate: number, frameMs = FRAME_MS): number {
  const n = (sampleRate * frameMs) / 1000;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${sampleRate} Hz has no whole number of samples in ${frameMs} ms`);
  return n;
}

export function durationMs(sampleCount: number, sampleRate: number): number {
  return (sampleCount * 1000) / sampleRate;
}

export function silence(sampleRate: number, ms: number): Int16Array {
  return new Int16Array(Math.round((sampleRate * ms) / 1000));
}

/** Root-mean-square level, 0 (silence) to 1 (full-scale square wave). */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]! / 32768;
    sum += s * s;
  }
  return Math.sqrt(sum / samples.length);
}

/** Level in dB relative to full scale; -Infinity for digital silence. */
export function dbfs(samples: Int16Array): number {
  return 20 * Math.log10(rms(samples));
}

export function concatPcm(chunks: readonly Int16Array[]): Int16Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Int16Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Multiplies by `gain`, clamping to the PCM16 range. */
export function scalePcm(samples: Int16Array, gain: number): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = clamp16(Math.round(samples[i]! * gain));
  return out;
}

/** Sums two signals (the shorter one is padded with silence), clamping to PCM16. */
export function mixPcm(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = clamp16((a[i] ?? 0) + (b[i] ?? 0));
  return out;
}

export function clamp16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/** Little-endian PCM16 bytes -> samples (copies, so odd byte offsets are fine). */
export function pcmFromBytes(bytes: Uint8Array): Int16Array {
  const count = bytes.length >> 1;
  const out = new Int16Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

export function pcmToBytes(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/**
 * Cuts a stream of arbitrarily sized chunks into exact frames, keeping the remainder for the next
 * push. Carriers and TTS engines deliver odd sizes; the pipeline works in 20 ms frames.
 */
export class FrameChunker {
  private pending: Int16Array;
  private pendingLength = 0;

  constructor(readonly frameSize: number) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) throw new RangeError('frameSize must be a positive integer');
    this.pending = new Int16Array(frameSize);
  }

  push(samples: Int16Array): Int16Array[] {
    const frames: Int16Array[] = [];
    let offset = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(this.frameSize - this.pendingLength, samples.length);
      this.pending.set(samples.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      offset = take;
      if (this.pendingLength === this.frameSize) {
        frames.push(this.pending.slice());
        this.pendingLength = 0;
      }
    }
    while (samples.length - offset >= this.frameSize) {
      frames.push(samples.slice(offset, offset + this.frameSize));
      offset += this.frameSize;
    }
    if (offset < samples.length) {
      this.pending.set(samples.subarray(offset), 0);
      this.pendingLength = samples.length - offset;
    }
    return frames;
  }

  /** The remainder padded with silence to a whole frame, or undefined when nothing is pending. */
  flush(): Int16Array | undefined {
    if (this.pendingLength === 0) return undefined;
    const frame = new Int16Array(this.frameSize);
    frame.set(this.pending.subarray(0, this.pendingLength));
    this.pendingLength = 0;
    return frame;
  }

  get pendingSamples(): number {
    return this.pendingLength;
  }

  reset(): void {
    this.pendingLength = 0;
  }
}
