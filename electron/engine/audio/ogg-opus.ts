/**
 * Ogg pages and the Opus headers inside them (RFC 3533, RFC 7845), written and read by hand: the
 * container is small and a recording must stay playable after a crash, so every page is complete on
 * its own (CRC, granule position) and nothing is rewritten in place.
 */

/** Opus decodes at 48 kHz whatever it was fed: granule positions count 48 kHz samples. */
export const OPUS_GRANULE_RATE = 48_000;
/**
 * libopus's look-ahead for the VOIP and AUDIO applications, in 48 kHz samples (2.5 ms + 4 ms at any
 * input rate): players drop this many samples at the start.
 */
export const OPUS_PRE_SKIP = 312;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0, no final xor). */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return crc >>> 0;
}

const FLAG_CONTINUED = 1;
const FLAG_BOS = 2;
const FLAG_EOS = 4;
const MAX_SEGMENTS = 255;

/** Builds the pages of one logical stream; packets are never split across pages. */
export class OggPageWriter {
  private sequence = 0;

  constructor(private readonly serial: number) {}

  /** One page holding `packets` whole; `granule` is the position after its last packet. */
  page(packets: readonly Uint8Array[], granule: number, flags: { bos?: boolean; eos?: boolean } = {}): Uint8Array {
    const lacing: number[] = [];
    let body = 0;
    for (const packet of packets) {
      for (let left = packet.length; ; left -= 255) {
        lacing.push(Math.min(left, 255));
        if (left < 255) break;
      }
      body += packet.length;
    }
    if (lacing.length > MAX_SEGMENTS) throw new RangeError(`${lacing.length} segments do not fit one Ogg page`);
    const page = new Uint8Array(27 + lacing.length + body);
    const view = new DataView(page.buffer);
    page.set([0x4f, 0x67, 0x67, 0x53]); // "OggS"
    page[4] = 0;
    page[5] = (flags.bos ? FLAG_BOS : 0) | (flags.eos ? FLAG_EOS : 0);
    view.setBigInt64(6, BigInt(granule), true);
    view.setUint32(14, this.serial, true);
    view.setUint32(18, this.sequence++, true);
    page[26] = lacing.length;
    page.set(lacing, 27);
    let at = 27 + lacing.length;
    for (const packet of packets) {
      page.set(packet, at);
      at += packet.length;
    }
    view.setUint32(22, oggCrc(page), true);
    return page;
  }

  /** How many of `packets` (from the start) fit on one page. */
  static fitting(packets: readonly Uint8Array[]): number {
    let segments = 0;
    for (let i = 0; i < packets.length; i++) {
      segments += Math.floor(packets[i]!.length / 255) + 1;
      if (segments > MAX_SEGMENTS) return i;
    }
    return packets.length;
  }
}

/** The identification header (RFC 7845 §5.1), channel mapping family 0 (mono or stereo). */
export function opusHead(channels: 1 | 2, inputSampleRate: number, preSkip = OPUS_PRE_SKIP): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'));
  head[8] = 1;
  head[9] = channels;
  view.setUint16(10, preSkip, true);
  view.setUint32(12, inputSampleRate, true);
  view.setInt16(16, 0, true);
  head[18] = 0;
  return head;
}

/** The comment header (RFC 7845 §5.2): vendor and `KEY=value` comments. */
export function opusTags(vendor: string, comments: readonly string[] = []): Uint8Array {
  const enc = new TextEncoder();
  const parts = [enc.encode('OpusTags'), u32(enc.encode(vendor).length), enc.encode(vendor), u32(comments.length)];
  for (const c of comments) parts.push(u32(enc.encode(c).length), enc.encode(c));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value, true);
  return b;
}

export interface OggPage {
  offset: number;
  length: number;
  granule: number;
  sequence: number;
  bos: boolean;
  eos: boolean;
  /** Whole packets that end on this page (a packet continued from the previous page is joined). */
  packets: Uint8Array[];
}

/**
 * Reads pages from the start of `bytes` until the data ends or a page is cut short or damaged (a
 * crash mid-write): `validBytes` is where the last intact page ends.
 */
export function readOggPages(bytes: Uint8Array): { pages: OggPage[]; validBytes: number } {
  const pages: OggPage[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let partial: Uint8Array[] = [];
  while (offset + 27 <= bytes.length) {
    if (bytes[offset] !== 0x4f || bytes[offset + 1] !== 0x67 || bytes[offset + 2] !== 0x67 || bytes[offset + 3] !== 0x53) break;
    const count = bytes[offset + 26]!;
    if (offset + 27 + count > bytes.length) break;
    const lacing = bytes.subarray(offset + 27, offset + 27 + count);
    const bodyLength = lacing.reduce((n, v) => n + v, 0);
    const length = 27 + count + bodyLength;
    if (offset + length > bytes.length) break;
    const copy = bytes.slice(offset, offset + length);
    const stored = view.getUint32(offset + 22, true);
    new DataView(copy.buffer).setUint32(22, 0, true);
    if (oggCrc(copy) !== stored) break;
    const flags = bytes[offset + 5]!;
    if (!(flags & FLAG_CONTINUED)) partial = [];
    const packets: Uint8Array[] = [];
    let at = offset + 27 + count;
    let segment: number[] = [];
    for (const size of lacing) {
      segment.push(at, size);
      at += size;
      if (size < 255) {
        const chunks = [...partial];
        for (let i = 0; i < segment.length; i += 2) chunks.push(bytes.subarray(segment[i]!, segment[i]! + segment[i + 1]!));
        packets.push(concat(chunks));
        partial = [];
        segment = [];
      }
    }
    for (let i = 0; i < segment.length; i += 2) partial.push(bytes.subarray(segment[i]!, segment[i]! + segment[i + 1]!));
    pages.push({
      offset,
      length,
      granule: Number(view.getBigInt64(offset + 6, true)),
      sequence: view.getUint32(offset + 18, true),
      bos: Boolean(flags & FLAG_BOS),
      eos: Boolean(flags & FLAG_EOS),
      packets,
    });
    offset += length;
  }
  return { pages, validBytes: offset };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!.slice();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** What the identification header says, or null when the first packet is not one. */
export function parseOpusHead(packet: Uint8Array): { channels: number; preSkip: number; inputSampleRate: number } | null {
  if (packet.length < 19 || new TextDecoder().decode(packet.subarray(0, 8)) !== 'OpusHead') return null;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  return { channels: packet[9]!, preSkip: view.getUint16(10, true), inputSampleRate: view.getUint32(12, true) };
}
