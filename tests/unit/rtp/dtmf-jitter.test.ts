import { describe, expect, it } from 'vitest';
import { decodeDtmfEvent, dtmfPackets, DtmfReceiver, encodeDtmfEvent } from '../../../electron/engine/telephony/rtp/dtmf';
import { JitterBuffer } from '../../../electron/engine/telephony/rtp/jitter-buffer';
import { parseRtp } from '../../../electron/engine/telephony/rtp/packet';
import { RtpSender } from '../../../electron/engine/telephony/rtp/sender';

describe('RFC 4733 DTMF', () => {
  it('encodes and decodes every digit with end bit, volume and duration', () => {
    for (const digit of '0123456789*#ABCD') {
      const bytes = encodeDtmfEvent({ digit, end: true, volume: 10, duration: 800 });
      expect(decodeDtmfEvent(bytes)).toEqual({ digit, end: true, volume: 10, duration: 800 });
    }
    expect(() => encodeDtmfEvent({ digit: 'x', end: false, volume: 10, duration: 0 })).toThrow(RangeError);
    expect(decodeDtmfEvent(new Uint8Array([16, 0, 0, 0]))).toBeUndefined(); // a tone event, not a digit
    expect(decodeDtmfEvent(new Uint8Array([1, 0]))).toBeUndefined();
  });

  it('sends a digit as growing durations then three end packets', () => {
    const packets = dtmfPackets('5', 100).map((p) => ({ ...decodeDtmfEvent(p.payload)!, marker: p.marker }));
    expect(packets.map((p) => p.duration)).toEqual([160, 320, 480, 640, 800, 800, 800, 800]);
    expect(packets.map((p) => p.end)).toEqual([false, false, false, false, false, true, true, true]);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false, false]);
  });

  it('a sender keeps the event timestamp fixed and media time running', async () => {
    const out: ReturnType<typeof parseRtp>[] = [];
    const sender = new RtpSender((p) => out.push(parseRtp(p)), () => {}, { timestamp: 16_000 });
    sender.setFormat({ codec: 'PCMA', payloadType: 8, dtmfPayloadType: 101 });
    sender.beat();
    const done = sender.sendDtmf('9');
    for (let i = 0; i < 12; i++) sender.beat();
    await done;
    const packets = out.map((p) => (p.ok ? p.packet : expect.fail('unparsable')));
    const events = packets.filter((p) => p.payloadType === 101);
    expect(events).toHaveLength(8);
    expect(new Set(events.map((p) => p.timestamp))).toEqual(new Set([16_160]));
    const after = packets.slice(9).filter((p) => p.payloadType === 8);
    expect(after[0]!.timestamp).toBe(16_000 + 9 * 160);
  });

  it('reports each digit once, even when the end packet is repeated or lost', () => {
    const receiver = new DtmfReceiver();
    const got: string[] = [];
    const feed = (ts: number, digit: string, end: boolean) => got.push(...receiver.receive(ts, { digit, end, volume: 10, duration: 160 }));
    feed(1000, '1', false);
    feed(1000, '1', false);
    feed(1000, '1', true);
    feed(1000, '1', true);
    feed(1000, '1', true);
    feed(2000, '2', false); // all its end packets lost…
    feed(3000, '3', false); // …so the next event reports it
    feed(3000, '3', true);
    feed(4000, '3', true); // same digit again, a new event
    expect(got).toEqual(['1', '2', '3', '3']);
  });
});

const frame = (value: number) => new Int16Array(160).fill(value);

describe('JitterBuffer', () => {
  it('waits for its minimum depth, then plays in sequence order despite reordering', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    expect(jb.beat()).toBeUndefined();
    jb.push(101, { kind: 'audio', samples: frame(2) }, 0, 160);
    jb.push(100, { kind: 'audio', samples: frame(1) }, 1, 0);
    jb.push(103, { kind: 'audio', samples: frame(4) }, 2, 480);
    jb.push(102, { kind: 'audio', samples: frame(3) }, 3, 320);
    expect([jb.beat()![0], jb.beat()![0], jb.beat()![0], jb.beat()![0]]).toEqual([1, 2, 3, 4]);
  });

  it('conceals a lost frame by repeating the last one attenuated once, then silence', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    jb.push(10, { kind: 'audio', samples: frame(1000) }, 0, 0);
    jb.push(13, { kind: 'audio', samples: frame(4000) }, 0, 480);
    const played = [jb.beat()![0], jb.beat()![0], jb.beat()![0], jb.beat()![0]];
    expect(played).toEqual([1000, 500, 0, 4000]);
    expect(jb.stats()).toMatchObject({ lost: 2, concealed: 2 });
  });

  it('drops packets that arrive after their turn, and duplicates', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    jb.push(0, { kind: 'audio', samples: frame(1) }, 0, 0);
    jb.push(2, { kind: 'audio', samples: frame(3) }, 0, 320);
    jb.beat();
    jb.beat(); // 1 concealed
    expect(jb.push(1, { kind: 'audio', samples: frame(2) }, 50, 160)).toBe('late');
    expect(jb.push(2, { kind: 'audio', samples: frame(3) }, 50, 320)).toBe('duplicate');
    expect(jb.beat()![0]).toBe(3);
    expect(jb.stats()).toMatchObject({ late: 1, duplicates: 1 });
  });

  it('plays across the 16-bit sequence wrap', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    [65_534, 65_535, 0, 1].forEach((seq, i) => jb.push(seq, { kind: 'audio', samples: frame(i + 1) }, i * 20, i * 160));
    expect([jb.beat()![0], jb.beat()![0], jb.beat()![0], jb.beat()![0]]).toEqual([1, 2, 3, 4]);
    expect(jb.stats().lost).toBe(0);
  });

  it('skips repeated DTMF end packets without losing time', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    jb.push(1, { kind: 'silence' }, 0);
    jb.push(2, { kind: 'skip' }, 0);
    jb.push(3, { kind: 'skip' }, 0);
    jb.push(4, { kind: 'audio', samples: frame(7) }, 0, 0);
    expect(jb.beat()![0]).toBe(0);
    expect(jb.beat()![0]).toBe(7);
  });

  it('raises its delay target with measured jitter, within bounds, and trims a burst back to it', () => {
    const steady = new JitterBuffer({ minDelayMs: 40, maxDelayMs: 200 });
    for (let i = 0; i < 200; i++) steady.push(i, { kind: 'audio', samples: frame(1) }, i * 20, i * 160);
    expect(steady.stats().jitterMs).toBeLessThan(0.01);
    expect(steady.stats().targetMs).toBe(40);

    const jittery = new JitterBuffer({ minDelayMs: 40, maxDelayMs: 200 });
    for (let i = 0; i < 200; i++) jittery.push(i, { kind: 'audio', samples: frame(1) }, i * 20 + (i % 2 ? 30 : 0), i * 160);
    expect(jittery.stats().jitterMs).toBeGreaterThan(20);
    expect(jittery.stats().targetMs).toBeGreaterThan(40);
    expect(jittery.stats().targetMs).toBeLessThanOrEqual(200);
    // 200 frames arrived at once: playout keeps only the newest target's worth.
    jittery.beat();
    expect(jittery.stats().trimmed).toBeGreaterThan(150);

    const wild = new JitterBuffer({ minDelayMs: 40, maxDelayMs: 200 });
    for (let i = 0; i < 200; i++) wild.push(i, { kind: 'audio', samples: frame(1) }, i * 20 + (i % 2 ? 900 : 0), i * 160);
    expect(wild.stats().targetMs).toBe(200);
  });

  it('after running dry it rebuffers to the target instead of advancing past missing audio', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    jb.push(0, { kind: 'audio', samples: frame(1) }, 0, 0);
    jb.push(1, { kind: 'audio', samples: frame(2) }, 20, 160);
    expect([jb.beat()![0], jb.beat()![0]]).toEqual([1, 2]);
    expect(jb.beat()![0]).toBe(1); // dry: the last frame attenuated
    jb.push(2, { kind: 'audio', samples: frame(3) }, 80, 320);
    expect(jb.beat()![0]).toBe(0); // rebuffering
    jb.push(3, { kind: 'audio', samples: frame(4) }, 90, 480);
    expect([jb.beat()![0], jb.beat()![0]]).toEqual([3, 4]);
    expect(jb.stats()).toMatchObject({ lost: 0, underruns: 1 });
  });

  it('treats a far jump in sequence as a restarted stream', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    jb.push(100, { kind: 'audio', samples: frame(1) }, 0, 0);
    jb.push(101, { kind: 'audio', samples: frame(2) }, 0, 160);
    jb.push(30_000, { kind: 'audio', samples: frame(9) }, 0, 9_000);
    jb.push(30_001, { kind: 'audio', samples: frame(10) }, 0, 9_160);
    expect([jb.beat()![0], jb.beat()![0]]).toEqual([9, 10]);
    expect(jb.stats().lost).toBe(0);
  });

  it('after a burst skips quiet frames to get back to its target, never speech', () => {
    const jb = new JitterBuffer({ minDelayMs: 40 });
    const speech = [1, 2, 3, 4, 5, 6].map((i) => frame(5_000 + i));
    // A burst (within the 200 ms maximum) of six speech frames, four quiet ones, then speech again.
    // (Arrival times in step with the timestamps keep the jitter estimate, and so the target, low.)
    speech.forEach((samples, i) => jb.push(i, { kind: 'audio', samples }, i * 20, i * 160));
    [6, 7, 8, 9].forEach((seq) => jb.push(seq, { kind: 'audio', samples: frame(3) }, seq * 20, seq * 160));
    jb.push(10, { kind: 'audio', samples: frame(6_000) }, 200, 10 * 160);
    const played: number[] = [];
    for (let i = 0; i < 10; i++) played.push(jb.beat()![0]!);
    expect(played.slice(0, 6)).toEqual([5_001, 5_002, 5_003, 5_004, 5_005, 5_006]);
    // Quiet frames went until the buffer was back to its target; every speech frame played.
    const quietPlayed = played.slice(6, played.indexOf(6_000)).length;
    expect(played).toContain(6_000);
    expect(jb.stats().trimmed).toBeGreaterThan(0);
    expect(quietPlayed + jb.stats().trimmed).toBe(4);
    expect(quietPlayed).toBe(jb.stats().targetMs / 20 - 1);
  });
});
