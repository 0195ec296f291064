import { describe, expect, it } from 'vitest';
import {
  decodeWav,
  encodeWav,
  FrameChunker,
  FrameQueue,
  WavFormatError,
  WavStreamDecoder,
} from '../../../electron/engine/audio';

const ramp = Int16Array.from({ length: 1000 }, (_, i) => (i * 37) % 30000 - 15000);

describe('WAV', () => {
  it('writes and reads back PCM16 mono exactly', () => {
    const decoded = decodeWav(encodeWav(ramp, 16_000));
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.truncated).toBe(false);
    expect(Array.from(decoded.samples)).toEqual(Array.from(ramp));
  });

  it('accepts the streaming header espeak-ng writes to stdout', () => {
    const bytes = encodeWav(ramp, 22_050);
    new DataView(bytes.buffer).setUint32(40, 0x7ffff000, true);
    const decoded = decodeWav(bytes);
    expect(decoded.samples.length).toBe(ramp.length);
    expect(decoded.truncated).toBe(false);
  });

  it('flags a truncated file and keeps what is there', () => {
    const bytes = encodeWav(ramp, 8_000).subarray(0, 44 + 500);
    const decoded = decodeWav(bytes);
    expect(decoded.truncated).toBe(true);
    expect(decoded.samples.length).toBe(250);
  });

  it('mixes stereo down to mono', () => {
    const stereo = encodeWav(Int16Array.of(1000, 3000, -2000, 0), 16_000);
    const view = new DataView(stereo.buffer);
    view.setUint16(22, 2, true); // channels
    view.setUint16(32, 4, true); // block align
    view.setUint32(28, 64_000, true);
    expect(Array.from(decodeWav(stereo).samples)).toEqual([2000, -1000]);
  });

  it('rejects garbage and unsupported encodings with a clear error', () => {
    expect(() => decodeWav(new TextEncoder().encode('this is not audio at all'))).toThrow(WavFormatError);
    expect(() => decodeWav(new Uint8Array(4))).toThrow(/empty or truncated/);
    const adpcm = encodeWav(ramp, 8_000);
    new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(() => decodeWav(adpcm)).toThrow(/Unsupported WAV encoding/);
  });

  it('decodes a stream byte by byte as it arrives', () => {
    const bytes = encodeWav(ramp, 16_000);
    const decoder = new WavStreamDecoder();
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i += 7) out.push(...decoder.push(bytes.subarray(i, i + 7)));
    expect(decoder.format?.sampleRate).toBe(16_000);
    expect(out).toEqual(Array.from(ramp));
  });
});

describe('FrameChunker', () => {
  it('cuts odd chunks into whole frames and pads the rest on flush', () => {
    const chunker = new FrameChunker(160);
    const frames = [...chunker.push(new Int16Array(100)), ...chunker.push(new Int16Array(300))];
    expect(frames.map((f) => f.length)).toEqual([160, 160]);
    expect(chunker.pendingSamples).toBe(80);
    expect(chunker.flush()?.length).toBe(160);
    expect(chunker.flush()).toBeUndefined();
  });
});

describe('FrameQueue', () => {
  const frame = (value: number) => new Int16Array(160).fill(value);

  it('prebuffers, plays in order and counts underruns', () => {
    const queue = new FrameQueue({ frameSize: 160, maxFrames: 10, prebufferFrames: 2 });
    queue.push(frame(1));
    expect(queue.shift()).toBeUndefined(); // still gathering
    queue.push(frame(2));
    expect(queue.shift()?.[0]).toBe(1);
    expect(queue.shift()?.[0]).toBe(2);
    expect(queue.shift()).toBeUndefined();
    expect(queue.snapshot.underruns).toBe(1);
  });

  it('drops the oldest frames on overflow and counts them', () => {
    const queue = new FrameQueue({ frameSize: 160, maxFrames: 3 });
    for (let i = 0; i < 5; i++) queue.push(frame(i));
    expect(queue.snapshot.droppedFrames).toBe(2);
    expect(queue.shift()?.[0]).toBe(2);
  });

  it('puts numbered frames back in order and drops duplicates and late ones', () => {
    const queue = new FrameQueue({ frameSize: 160, maxFrames: 10, prebufferFrames: 2 });
    queue.pushSequenced(10, frame(10));
    queue.pushSequenced(12, frame(12));
    queue.pushSequenced(11, frame(11));
    queue.pushSequenced(11, frame(11));
    queue.pushSequenced(9, frame(9));
    expect([queue.shift()?.[0], queue.shift()?.[0], queue.shift()?.[0]]).toEqual([10, 11, 12]);
    expect(queue.snapshot.droppedFrames).toBe(2);
  });

  it('skips a lost frame once the reorder window is full', () => {
    const queue = new FrameQueue({ frameSize: 160, maxFrames: 10 });
    queue.pushSequenced(1, frame(1));
    for (const n of [3, 4, 5]) queue.pushSequenced(n, frame(n));
    const played = [];
    for (let f = queue.shift(); f; f = queue.shift()) played.push(f[0]);
    expect(played).toEqual([1, 3, 4, 5]);
  });

  it('clear() drops everything queued, for barge-in', () => {
    const queue = new FrameQueue({ frameSize: 160, maxFrames: 100 });
    queue.push(new Int16Array(160 * 5 + 10));
    expect(queue.clear()).toBe(6);
    expect(queue.length).toBe(0);
    expect(queue.snapshot.clearedFrames).toBe(6);
  });
});
