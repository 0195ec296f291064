import { describe, expect, it } from 'vitest';
import { Pcm16ByteJoiner } from '../../../electron/engine/adapters/tts/elevenlabs';
import { floatToPcm16 } from '../../../electron/engine/adapters/tts/pcm-convert';

describe('PCM byte and sample conversion', () => {
  it('joins little-endian bytes into samples across odd chunk boundaries', () => {
    const joiner = new Pcm16ByteJoiner();
    // Samples 1, -2, 0x1234 as LE bytes, cut 3 + 1 + 2.
    const bytes = [0x01, 0x00, 0xfe, 0xff, 0x34, 0x12];
    expect([...joiner.push(Uint8Array.from(bytes.slice(0, 3)))]).toEqual([1]);
    expect(joiner.pendingByte).toBe(true);
    expect([...joiner.push(Uint8Array.from(bytes.slice(3, 4)))]).toEqual([-2]);
    expect([...joiner.push(Uint8Array.from(bytes.slice(4)))]).toEqual([0x1234]);
    expect(joiner.pendingByte).toBe(false);
  });

  it('scales float audio to PCM16 and clips what lies outside [-1, 1]', () => {
    expect([...floatToPcm16(Float32Array.from([0, 1, -1, 0.5, 2, -3]))]).toEqual([0, 32767, -32768, 16384, 32767, -32768]);
  });
});
