import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oggCrc, OggPageWriter, opusHead, parseOpusHead, readOggPages } from '../../../electron/engine/audio/ogg-opus';
import { OggOpusFileWriter } from '../../../electron/engine/audio/ogg-opus-file';
import { OpusEncoderPool } from '../../../electron/engine/audio/opus-encoder-pool';
import { decodeOggOpus, rmsBetween } from '../../support/ogg-opus-decode';
import { tempDataDir } from '../../support/temp-dir';

/** Stereo test tone: a 440 Hz tone on the left for the first second, on the right for the second. */
function tones(rate: number, seconds: number): Int16Array {
  const out = new Int16Array(rate * seconds * 2);
  for (let i = 0; i < rate * seconds; i++) {
    const v = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    out[i * 2 + (i < rate ? 0 : 1)] = v;
  }
  return out;
}

describe('Ogg Opus container', () => {
  const data = tempDataDir();
  const pool = new OpusEncoderPool();
  afterAll(async () => {
    await pool.dispose();
    data.cleanup();
  });

  it('computes the Ogg CRC of a known page the way libogg does', () => {
    // "OggS" + zeros: the CRC libogg gives this 27-byte empty header.
    const page = new OggPageWriter(1).page([], 0, { bos: true });
    const copy = page.slice();
    new DataView(copy.buffer).setUint32(22, 0, true);
    expect(oggCrc(copy)).toBe(new DataView(page.buffer).getUint32(22, true));
    expect(oggCrc(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
  });

  it('reads back pages, packets longer than 255 bytes, and stops at a cut page', () => {
    const writer = new OggPageWriter(7);
    const big = new Uint8Array(600).fill(3);
    const bytes = [writer.page([opusHead(2, 8000)], 0, { bos: true }), writer.page([big, new Uint8Array([1, 2])], 1920)];
    const joined = new Uint8Array([...bytes[0]!, ...bytes[1]!]);
    const { pages, validBytes } = readOggPages(joined);
    expect(pages).toHaveLength(2);
    expect(parseOpusHead(pages[0]!.packets[0]!)).toEqual({ channels: 2, preSkip: 312, inputSampleRate: 8000 });
    expect(pages[1]!.packets.map((p) => p.length)).toEqual([600, 2]);
    expect(validBytes).toBe(joined.length);
    const cut = readOggPages(joined.subarray(0, joined.length - 5));
    expect(cut.pages).toHaveLength(1);
    expect(cut.validBytes).toBe(bytes[0]!.length);
  });

  it('encodes on the worker thread into a file an independent decoder plays, left and right apart, at the right length', async () => {
    const path = join(data.dir, 'tone.ogg');
    const stream = pool.open(8000, 2, 24_000);
    const writer = await OggOpusFileWriter.create(path, { channels: 2, inputSampleRate: 8000 });
    writer.add(await stream.encode(tones(8000, 2)));
    writer.add(await stream.encode(new Int16Array(160 * 2))); // one frame flushes the look-ahead
    const closed = await writer.close(1);
    stream.close();
    expect(closed.durationMs).toBe(2000);
    expect(closed.bytes).toBe(readFileSync(path).length);
    expect(pool.busyMs).toBeGreaterThan(0);
    const decoded = await decodeOggOpus(path);
    expect(decoded.errors).toBe(0);
    expect(decoded.sampleRate).toBe(48000);
    expect(Math.abs(decoded.left.length / 48 - 2000)).toBeLessThan(25);
    expect(rmsBetween(decoded.left, 48000, 100, 900)).toBeGreaterThan(0.1);
    expect(rmsBetween(decoded.right, 48000, 100, 900)).toBeLessThan(0.02);
    expect(rmsBetween(decoded.right, 48000, 1100, 1900)).toBeGreaterThan(0.1);
    expect(rmsBetween(decoded.left, 48000, 1100, 1900)).toBeLessThan(0.02);
  });
});
