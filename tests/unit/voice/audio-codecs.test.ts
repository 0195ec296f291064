import { describe, expect, it } from 'vitest';
import { decodeALaw, decodeMuLaw, encodeALaw, encodeMuLaw } from '../../../electron/engine/audio';

/** ITU-T G.711 decoding, written out from the standard's tables. */
function referenceMuLaw(byte: number): number {
  const b = ~byte & 0xff;
  const magnitude = ((((b & 0x0f) << 3) + 0x84) << ((b >> 4) & 7)) - 0x84;
  return b & 0x80 ? 0 - magnitude : magnitude;
}
function referenceALaw(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else if (segment === 1) t += 0x108;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

describe('G.711', () => {
  const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

  it('decodes every mu-law byte to the value in the standard table', () => {
    const decoded = decodeMuLaw(allBytes);
    for (let i = 0; i < 256; i++) expect(decoded[i], `byte 0x${i.toString(16)}`).toBe(referenceMuLaw(i));
    expect(decoded[0x00]).toBe(-32124);
    expect(decoded[0x80]).toBe(32124);
    expect(decoded[0xff]).toBe(0);
  });

  it('decodes every A-law byte to the value in the standard table', () => {
    const decoded = decodeALaw(allBytes);
    for (let i = 0; i < 256; i++) expect(decoded[i], `byte 0x${i.toString(16)}`).toBe(referenceALaw(i));
    expect(decoded[0xd5]).toBe(8);
    expect(decoded[0x55]).toBe(-8);
    expect(decoded[0xaa]).toBe(32256);
  });

  it('encodes the known points of both laws', () => {
    expect(Array.from(encodeMuLaw(Int16Array.of(0, 32767, -32768)))).toEqual([0xff, 0x80, 0x00]);
    expect(Array.from(encodeALaw(Int16Array.of(0, 32767, -32768)))).toEqual([0xd5, 0xaa, 0x2a]);
  });

  it('re-encodes every decoded value to the same byte (mu-law has two zeros)', () => {
    const mu = encodeMuLaw(decodeMuLaw(allBytes));
    for (let i = 0; i < 256; i++) expect(mu[i] === i || (i === 0x7f && mu[i] === 0xff)).toBe(true);
    const a = encodeALaw(decodeALaw(allBytes));
    expect(Array.from(a)).toEqual(Array.from(allBytes));
  });

  it('keeps the quantisation error within the segment step (about 3% of the value above 1000)', () => {
    const ramp = Int16Array.from({ length: 2000 }, (_, i) => -32000 + i * 32);
    for (const [encode, decode] of [
      [encodeMuLaw, decodeMuLaw],
      [encodeALaw, decodeALaw],
    ] as const) {
      const back = decode(encode(ramp));
      for (let i = 0; i < ramp.length; i++) {
        const x = ramp[i]!;
        const bound = Math.max(64, Math.abs(x) * 0.035);
        expect(Math.abs(back[i]! - x)).toBeLessThanOrEqual(bound);
      }
    }
  });
});
