import { describe, expect, it } from 'vitest';
import { encodeRtp, parseRtp, sequenceDelta } from '../../../electron/engine/telephony/rtp/packet';
import { RtpSender } from '../../../electron/engine/telephony/rtp/sender';
import { decodeMuLaw } from '../../../electron/engine/audio/g711';

const PCMU = { codec: 'PCMU' as const, payloadType: 0, dtmfPayloadType: 101 };

function tone(value: number, samples = 160): Int16Array {
  return new Int16Array(samples).fill(value);
}

function senderWith(start: { ssrc?: number; sequence?: number; timestamp?: number } = {}) {
  const packets: ReturnType<typeof parseRtp>[] = [];
  const marks: string[] = [];
  const sender = new RtpSender((p) => packets.push(parseRtp(p)), (m) => marks.push(m), start);
  sender.setFormat(PCMU);
  const sent = () => packets.map((p) => (p.ok ? p.packet : expect.fail('sender built an unparsable packet')));
  return { sender, marks, sent };
}

describe('RTP header (RFC 3550)', () => {
  it('round-trips every field, version 2, 12 bytes before the payload', () => {
    const bytes = encodeRtp({ marker: true, payloadType: 8, sequence: 65_535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef }, new Uint8Array([1, 2, 3]));
    expect(bytes.length).toBe(15);
    expect(bytes[0]! >> 6).toBe(2);
    const parsed = parseRtp(bytes);
    if (!parsed.ok) return expect.fail(parsed.problem);
    const { payload, ...header } = parsed.packet;
    expect(header).toEqual({ marker: true, payloadType: 8, sequence: 65_535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef });
    expect([...payload]).toEqual([1, 2, 3]);
  });

  it('skips CSRCs, a header extension and padding', () => {
    const header = [0x80 | 0x20 | 0x10 | 0x01, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3];
    const csrc = [9, 9, 9, 9];
    const extension = [0xbe, 0xde, 0, 1, 7, 7, 7, 7];
    const payload = [0xaa, 0xbb];
    const padding = [0, 0, 3];
    const parsed = parseRtp(new Uint8Array([...header, ...csrc, ...extension, ...payload, ...padding]));
    expect(parsed.ok && [...parsed.packet.payload]).toEqual(payload);
  });

  it('turns garbage into a reason, never a throw', () => {
    expect(parseRtp(new Uint8Array(5))).toEqual({ ok: false, problem: 'too-short' });
    expect(parseRtp(new Uint8Array(20).fill(0x40))).toEqual({ ok: false, problem: 'wrong-version' });
    expect(parseRtp(new Uint8Array([0x8f, 0, ...new Array(14).fill(0)]))).toEqual({ ok: false, problem: 'bad-length' });
    expect(parseRtp(new Uint8Array([0xa0, 0, ...new Array(10).fill(0), 0]))).toEqual({ ok: false, problem: 'bad-length' });
    expect(parseRtp(new Uint8Array([0x81, 200, ...new Array(26).fill(0)]))).toEqual({ ok: false, problem: 'rtcp' });
    for (let i = 0; i < 500; i++) {
      const junk = crypto.getRandomValues(new Uint8Array(Math.floor(Math.random() * 64)));
      expect(() => parseRtp(junk)).not.toThrow();
    }
  });

  it('measures sequence distance across the 16-bit wrap', () => {
    expect(sequenceDelta(2, 65_534)).toBe(4);
    expect(sequenceDelta(65_534, 2)).toBe(-4);
    expect(sequenceDelta(100, 100)).toBe(0);
  });
});

describe('RtpSender', () => {
  it('sends one packet per beat: sequence +1 and timestamp +160, both wrapping, one SSRC', () => {
    const { sender, sent } = senderWith({ ssrc: 77, sequence: 65_533, timestamp: 0xffffff00 });
    for (let i = 0; i < 6; i++) sender.beat();
    const packets = sent();
    expect(packets.map((p) => p.sequence)).toEqual([65_533, 65_534, 65_535, 0, 1, 2]);
    expect(packets.map((p) => p.timestamp)).toEqual([0xffffff00, 0xffffffa0, 64, 224, 384, 544]);
    expect(new Set(packets.map((p) => p.ssrc))).toEqual(new Set([77]));
    expect(packets.every((p) => p.payloadType === 0 && p.payload.length === 160)).toBe(true);
  });

  it('starts random sequence, timestamp and SSRC per stream', () => {
    const a = senderWith();
    const b = senderWith();
    a.sender.beat();
    b.sender.beat();
    const [pa, pb] = [a.sent()[0]!, b.sent()[0]!];
    expect([pa.ssrc !== pb.ssrc, pa.sequence !== pb.sequence || pa.timestamp !== pb.timestamp]).toEqual([true, true]);
  });

  it('fills gaps with G.711 silence and marks the first packet of each talkspurt', () => {
    const { sender, sent } = senderWith({ sequence: 10, timestamp: 1_000 });
    sender.beat(); // silence (first packet of the stream: marked)
    sender.queueAudio(tone(8_000, 320));
    sender.beat();
    sender.beat();
    sender.beat(); // silence again
    sender.queueAudio(tone(-8_000));
    sender.beat();
    const packets = sent();
    expect(packets.map((p) => p.marker)).toEqual([true, true, false, false, true]);
    expect(decodeMuLaw(packets[0]!.payload).every((s) => Math.abs(s) < 10)).toBe(true);
    expect(decodeMuLaw(packets[1]!.payload)[0]).toBeGreaterThan(7_000);
    expect(decodeMuLaw(packets[4]!.payload)[0]).toBeLessThan(-7_000);
    // Timestamps keep following real time through the silence.
    expect(packets.map((p) => p.timestamp - 1_000)).toEqual([0, 160, 320, 480, 640]);
  });

  it('re-cuts odd-sized audio into 160-sample frames and pads the tail at a mark', () => {
    const { sender, sent, marks } = senderWith();
    sender.queueAudio(tone(5_000, 100));
    sender.queueAudio(tone(5_000, 100)); // 200 samples: one frame + 40 pending
    sender.mark('utterance');
    expect(sender.stats().queuedFrames).toBe(2);
    sender.beat();
    expect(marks).toEqual([]);
    sender.beat();
    expect(marks).toEqual(['utterance']);
    const second = decodeMuLaw(sent()[1]!.payload);
    expect(second[39]).toBeGreaterThan(4_000);
    expect(Math.abs(second[40]!)).toBeLessThan(10);
  });

  it('clear() drops queued audio at once and fires pending marks; later audio still plays', () => {
    const { sender, sent, marks } = senderWith();
    sender.queueAudio(tone(9_000, 160 * 50));
    sender.mark('long');
    sender.beat();
    expect(sender.clear()).toBe(49);
    expect(marks).toEqual(['long']);
    sender.beat();
    expect(decodeMuLaw(sent()[1]!.payload).every((s) => Math.abs(s) < 10)).toBe(true);
    sender.queueAudio(tone(9_000));
    sender.beat();
    expect(decodeMuLaw(sent()[2]!.payload)[0]).toBeGreaterThan(8_000);
    expect(sender.stats().clearedFrames).toBe(49);
  });

  it('sends nothing while not sending, but time moves on', () => {
    const { sender, sent } = senderWith({ sequence: 5, timestamp: 0 });
    sender.beat();
    sender.setSending(false);
    sender.beat();
    sender.beat();
    sender.setSending(true);
    sender.beat();
    expect(sent().map((p) => [p.sequence, p.timestamp])).toEqual([
      [5, 0],
      [6, 480],
    ]);
  });

  it('holds queued agent audio while a digit goes out, then plays all of it', async () => {
    const { sender, sent } = senderWith();
    sender.queueAudio(tone(9_000, 320));
    const done = sender.sendDtmf('7');
    for (let i = 0; i < 14; i++) sender.beat();
    await done;
    const kinds = sent().map((p) => (p.payloadType === 101 ? 'event' : decodeMuLaw(p.payload)[0]! > 8_000 ? 'audio' : 'silence'));
    expect(kinds.slice(0, 8)).toEqual(new Array(8).fill('event'));
    expect(kinds.filter((k) => k === 'audio')).toHaveLength(2);
  });
});
