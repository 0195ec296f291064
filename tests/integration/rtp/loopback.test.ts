import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:dgram';
import { openRtpSession, type RtpSessionMedia } from '../../../electron/engine/telephony/rtp/session';
import { encodeRtp } from '../../../electron/engine/telephony/rtp/packet';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { capturingLogger, loud, rawSocket, sendRaw, sine, sleep, waitFor } from './harness';

type Session = RtpSessionMedia;

describe('two RTP sessions on loopback', () => {
  let clock: PlayoutClock;
  let a: Session;
  let b: Session;
  let log: ReturnType<typeof capturingLogger>;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    clock = new PlayoutClock();
    log = capturingLogger();
    a = await openRtpSession({ clock, logger: log.logger, label: 'a' });
    b = await openRtpSession({ clock, logger: log.logger, label: 'b' });
    // Each direction uses its own law: the receiver decodes by payload type.
    a.setRemote(b.local, { codec: 'PCMU', payloadType: 0, dtmfPayloadType: 101 });
    b.setRemote(a.local, { codec: 'PCMA', payloadType: 8, dtmfPayloadType: 101 });
  });

  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    for (const s of sockets.splice(0)) s.close();
    clock.stop();
  });

  it('binds to loopback and carries audio both ways, in real time, marks after the audio went out', async () => {
    expect(a.local.address).toBe('127.0.0.1');
    const heardByB: Int16Array[] = [];
    const heardByA: Int16Array[] = [];
    b.onAudio((f) => heardByB.push(f));
    a.onAudio((f) => heardByA.push(f));
    const marks: string[] = [];
    a.onMark((m) => marks.push(m));
    const started = performance.now();
    a.sendAudio(sine(440, 1_000));
    a.mark('a-done');
    b.sendAudio(sine(700, 600));
    await waitFor(() => marks.includes('a-done'), 3_000, 'the mark');
    const markMs = performance.now() - started;
    expect(markMs).toBeGreaterThan(900); // paced at real time, not sent in a burst
    await waitFor(() => heardByB.filter(loud).length >= 50 && heardByA.filter(loud).length >= 30, 2_000, 'both directions');
    expect(heardByB.filter(loud).length).toBeLessThanOrEqual(51);
    expect(heardByA.filter(loud).length).toBeLessThanOrEqual(31);
    expect(heardByB.every((f) => f.length === 160)).toBe(true);
    expect(b.stats()).toMatchObject({ packetsLost: 0, strayPackets: 0, discardedPackets: 0 });
    expect(a.stats().packetsSent).toBeGreaterThan(50);
    expect(b.stats().packetsReceived).toBeGreaterThan(50);
  });

  it('carries DTMF both ways as RFC 4733 events, each digit once', async () => {
    const atB: string[] = [];
    const atA: string[] = [];
    b.onDtmf((d) => atB.push(d));
    a.onDtmf((d) => atA.push(d));
    await Promise.all([a.sendDtmf('12#'), b.sendDtmf('9*')]);
    await waitFor(() => atB.length >= 3 && atA.length >= 2, 1_000, 'digits');
    await sleep(200);
    expect(atB).toEqual(['1', '2', '#']);
    expect(atA).toEqual(['9', '*']);
    await expect(a.sendDtmf('x')).rejects.toThrow(/Not a DTMF digit/);
  });

  it('clear() stops queued audio at once (barge-in) and fires the pending mark', async () => {
    const heard: Int16Array[] = [];
    b.onAudio((f) => heard.push(f));
    const marks: string[] = [];
    a.onMark((m) => marks.push(m));
    a.sendAudio(sine(440, 5_000));
    a.mark('long');
    await waitFor(() => heard.filter(loud).length >= 10, 2_000, 'audio to start');
    const dropped = a.clear();
    expect(dropped).toBeGreaterThan(200);
    expect(marks).toEqual(['long']);
    const at = heard.length;
    await sleep(400);
    // What was on the wire or in B's jitter buffer still plays; nothing after that.
    const after = heard.slice(at).filter(loud).length;
    expect(after, JSON.stringify(b.stats())).toBeLessThanOrEqual(b.stats().jitterBufferMs / 20 + 4);
    expect(heard.slice(-5).some(loud)).toBe(false);
    expect(a.stats().clearedFrames).toBe(dropped);
  });

  it('drops packets from a stranger once latched, and logs bad input once per kind without throwing', async () => {
    const heard: Int16Array[] = [];
    b.onAudio((f) => heard.push(f));
    a.sendAudio(sine(440, 400));
    await waitFor(() => heard.filter(loud).length >= 5, 2_000, 'latching');
    const stranger = await rawSocket();
    sockets.push(stranger);
    for (let i = 0; i < 50; i++) await sendRaw(stranger, encodeRtp({ marker: false, payloadType: 0, sequence: i, timestamp: i * 160, ssrc: 1 }, new Uint8Array(160)), b.local.port);
    await waitFor(() => b.stats().strayPackets === 50, 1_000, 'strays counted');

    // A fresh session has latched to nobody: garbage and unknown payloads reach the parser.
    const c = await openRtpSession({ clock, logger: log.logger, label: 'c' });
    try {
      const junk = await rawSocket();
      sockets.push(junk);
      for (let i = 0; i < 30; i++) {
        await sendRaw(junk, new Uint8Array([1, 2, 3]), c.local.port);
        await sendRaw(junk, new Uint8Array(40).fill(0x41), c.local.port);
        await sendRaw(junk, encodeRtp({ marker: false, payloadType: 34, sequence: i, timestamp: 0, ssrc: 2 }, new Uint8Array(10)), c.local.port);
        await sendRaw(junk, encodeRtp({ marker: false, payloadType: 0, sequence: i, timestamp: 0, ssrc: 2 }, new Uint8Array(99)), c.local.port);
      }
      await waitFor(() => c.stats().discardedPackets === 120, 1_000, 'discards counted');
      const problems = log.lines.filter((l) => l.problem).map((l) => l.problem);
      expect(problems.sort()).toEqual(['frame-size', 'stray', 'too-short', 'unknown-payload', 'wrong-version']);
      expect(c.stats().packetsReceived).toBe(0);
    } finally {
      await c.close();
    }
    expect(a.stats().packetsLost + b.stats().packetsLost).toBe(0);
  });

  it('latches to the real source when the SDP address is wrong (symmetric RTP)', async () => {
    const heard: Int16Array[] = [];
    a.onAudio((f) => heard.push(f));
    // B tells A a port nobody listens on; A learns B's real port from B's packets.
    const wrong = await rawSocket();
    const wrongPort = wrong.address().port;
    wrong.close();
    a.setRemote({ address: '127.0.0.1', port: wrongPort }, { codec: 'PCMU', payloadType: 0, dtmfPayloadType: 101 });
    const atB: Int16Array[] = [];
    b.onAudio((f) => atB.push(f));
    b.sendAudio(sine(500, 300));
    a.sendAudio(sine(440, 600));
    await waitFor(() => atB.filter(loud).length >= 10, 2_000, 'audio via the latched address');
    expect(log.lines.some((l) => /symmetric RTP/.test(l.msg))).toBe(true);
  });

  it('sends nothing while held (inactive) and resumes after', async () => {
    a.setDirection('inactive');
    const before = a.stats().packetsSent;
    await sleep(200);
    expect(a.stats().packetsSent).toBe(before);
    a.setDirection('sendrecv');
    await sleep(200);
    expect(a.stats().packetsSent).toBeGreaterThan(before + 5);
  });
});

/** Power of one frequency in a frame (Goertzel), relative. */
function power(frame: Int16Array, hz: number, sampleRate = 8_000): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of frame) {
    const s = x / 32768 + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

describe('DTMF to a far end that negotiated no telephone-event', () => {
  it('is sent in band as the digit’s two tones', async () => {
    const clock = new PlayoutClock();
    const { logger } = capturingLogger();
    const a = await openRtpSession({ clock, logger });
    const b = await openRtpSession({ clock, logger });
    try {
      a.setRemote(b.local, { codec: 'PCMU', payloadType: 0, dtmfPayloadType: null });
      b.setRemote(a.local, { codec: 'PCMU', payloadType: 0, dtmfPayloadType: null });
      const heard: Int16Array[] = [];
      const digits: string[] = [];
      b.onAudio((f) => heard.push(f));
      b.onDtmf((d) => digits.push(d));
      await a.sendDtmf('5'); // 770 Hz + 1336 Hz
      await waitFor(() => heard.filter(loud).length >= 5, 1_000, 'the tone');
      const tone = heard.filter(loud);
      expect(tone).toHaveLength(5);
      for (const frame of tone) {
        expect(power(frame, 770)).toBeGreaterThan(10 * power(frame, 941));
        expect(power(frame, 1336)).toBeGreaterThan(10 * power(frame, 1633));
      }
      expect(digits).toEqual([]); // no event packets went out
    } finally {
      await Promise.all([a.close(), b.close()]);
      clock.stop();
    }
  });
});
