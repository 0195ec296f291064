import { describe, expect, it } from 'vitest';
import {
  AudioSocketProtocolError,
  describeError,
  encodeAudio,
  encodeDtmf,
  encodeError,
  encodeHangup,
  encodeMessage,
  encodeUuid,
  kindForRate,
  MAX_PAYLOAD,
  MessageDecoder,
} from '../../../electron/engine/telephony/audiosocket/protocol';

const UUID = '40325ec2-5efd-4bd3-805f-53576e581d13';

describe('AudioSocket protocol', () => {
  it('encodes each message as kind, big-endian length, payload', () => {
    expect([...encodeHangup()]).toEqual([0x00, 0x00, 0x00]);
    const uuid = encodeUuid(UUID);
    expect([...uuid.subarray(0, 3)]).toEqual([0x01, 0x00, 0x10]);
    expect(uuid.subarray(3).toString('hex')).toBe(UUID.replace(/-/g, ''));
    expect([...encodeDtmf('5')]).toEqual([0x03, 0x00, 0x01, 0x35]);
    expect([...encodeError(0x02)]).toEqual([0xff, 0x00, 0x01, 0x02]);
    const audio = encodeAudio(Int16Array.of(1, -2, 0x1234), 8_000);
    expect([...audio]).toEqual([0x10, 0x00, 0x06, 0x01, 0x00, 0xfe, 0xff, 0x34, 0x12]); // little-endian samples
    expect(encodeAudio(new Int16Array(320), 16_000)[0]).toBe(0x12);
    expect(encodeAudio(new Int16Array(320), 16_000).readUInt16BE(1)).toBe(640);
  });

  it('maps rates to kinds as the protocol document lists them', () => {
    expect([8_000, 12_000, 16_000, 24_000, 32_000, 44_100, 48_000, 96_000, 192_000].map(kindForRate)).toEqual([0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]);
    expect(() => kindForRate(11_025)).toThrow(RangeError);
  });

  it('decodes a stream cut at any byte into the same messages', () => {
    const wire = Buffer.concat([encodeUuid(UUID), encodeAudio(Int16Array.from({ length: 160 }, (_, i) => i * 100 - 8_000), 8_000), encodeDtmf('#'), encodeAudio(new Int16Array(320).fill(-3), 16_000), encodeError(0x01), encodeHangup()]);
    for (const step of [1, 2, 3, 7, 100, wire.length]) {
      const decoder = new MessageDecoder();
      const messages = [];
      for (let at = 0; at < wire.length; at += step) messages.push(...decoder.push(wire.subarray(at, at + step)));
      expect(messages.map((m) => m.kind)).toEqual(['uuid', 'audio', 'dtmf', 'audio', 'error', 'hangup']);
      expect(messages[0]).toEqual({ kind: 'uuid', uuid: UUID });
      const first = messages[1] as { samples: Int16Array; sampleRate: number };
      expect(first.sampleRate).toBe(8_000);
      expect(first.samples[0]).toBe(-8_000);
      expect(first.samples[159]).toBe(159 * 100 - 8_000);
      expect(messages[2]).toEqual({ kind: 'dtmf', digit: '#' });
      expect((messages[3] as { sampleRate: number }).sampleRate).toBe(16_000);
      expect(messages[4]).toMatchObject({ kind: 'error', code: 1, reason: expect.stringContaining('hung up') });
      expect(decoder.pending).toBe(0);
    }
  });

  it('refuses unknown kinds, oversize lengths and malformed payloads with a protocol error', () => {
    const bad = [
      encodeMessage(0x42, Uint8Array.of(1)),
      Buffer.from([0x10, 0xff, 0xff]),
      Buffer.from([0x10, (MAX_PAYLOAD + 2) >> 8, (MAX_PAYLOAD + 2) & 0xff]),
      encodeMessage(0x01, new Uint8Array(15)),
      encodeMessage(0x10, new Uint8Array(3)),
      encodeMessage(0x03, Buffer.from('x')),
      encodeMessage(0x03, Buffer.from('12')),
    ];
    for (const bytes of bad) expect(() => new MessageDecoder().push(bytes), bytes.toString('hex')).toThrow(AudioSocketProtocolError);
    // An oversize length is refused from its header alone, before any payload arrives.
    expect(() => new MessageDecoder().push(Buffer.from([0x10, 0x40, 0x00]))).toThrow(/at most/);
    expect(() => encodeDtmf('x')).toThrow(RangeError);
  });

  it("names Asterisk's error codes", () => {
    expect(describeError(0x02)).toMatch(/frame forwarding/);
    expect(describeError(0x05)).toMatch(/hung up.*memory/);
    expect(describeError(0x80)).toMatch(/application error code 0x80/);
    expect(describeError(null)).toMatch(/no code/);
  });
});
