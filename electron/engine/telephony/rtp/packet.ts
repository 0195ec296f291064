/**
 * RTP fixed header (RFC 3550 section 5.1): 12 bytes, plus CSRCs, an optional extension and optional
 * padding, which a receiver must skip. Parsing never throws: a packet that is not RTP comes back as a
 * reason, so the socket handler can count it and go on.
 */

export const RTP_VERSION = 2;
export const RTP_HEADER_BYTES = 12;

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  /** 16-bit, wraps at 65536. */
  sequence: number;
  /** 32-bit media clock (8 kHz for G.711 and telephone-event). */
  timestamp: number;
  ssrc: number;
}

export interface RtpPacket extends RtpHeader {
  payload: Uint8Array;
}

export type RtpParseProblem = 'too-short' | 'wrong-version' | 'bad-length' | 'rtcp';

export type RtpParseResult = { ok: true; packet: RtpPacket } | { ok: false; problem: RtpParseProblem };

/** Builds one packet: header then payload, in a single buffer ready for `socket.send`. */
export function encodeRtp(header: RtpHeader, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RTP_HEADER_BYTES + payload.length);
  out[0] = RTP_VERSION << 6; // no padding, no extension, no CSRC
  out[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  out.writeUInt16BE(header.sequence & 0xffff, 2);
  out.writeUInt32BE(header.timestamp >>> 0, 4);
  out.writeUInt32BE(header.ssrc >>> 0, 8);
  out.set(payload, RTP_HEADER_BYTES);
  return out;
}

export function parseRtp(data: Uint8Array): RtpParseResult {
  if (data.length < RTP_HEADER_BYTES) return { ok: false, problem: 'too-short' };
  const first = data[0]!;
  if (first >> 6 !== RTP_VERSION) return { ok: false, problem: 'wrong-version' };
  const second = data[1]!;
  // RTCP shares the first byte's layout; its packet types 200-204 land on payload types 72-76 (RFC 5761).
  if (second >= 200 && second <= 204) return { ok: false, problem: 'rtcp' };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = RTP_HEADER_BYTES + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (data.length < offset + 4) return { ok: false, problem: 'bad-length' };
    offset += 4 + view.getUint16(offset + 2) * 4;
  }
  let end = data.length;
  if (first & 0x20) {
    const padding = data[data.length - 1]!;
    if (padding === 0) return { ok: false, problem: 'bad-length' };
    end -= padding;
  }
  if (offset > end) return { ok: false, problem: 'bad-length' };
  return {
    ok: true,
    packet: {
      marker: (second & 0x80) !== 0,
      payloadType: second & 0x7f,
      sequence: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      payload: data.subarray(offset, end),
    },
  };
}

/** Signed distance from `b` to `a` in 16-bit sequence space (-32768..32767). */
export function sequenceDelta(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

/** A random 32-bit value (SSRC, initial timestamp) and 16-bit value (initial sequence), per RFC 3550. */
export function random32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

export function random16(): number {
  return random32() & 0xffff;
}

/** G.711 static payload types (RFC 3551). */
export const PAYLOAD_PCMU = 0;
export const PAYLOAD_PCMA = 8;
/** Comfort noise (RFC 3389): played as silence. */
export const PAYLOAD_CN = 13;
