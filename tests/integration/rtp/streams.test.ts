import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:dgram';
import { openRtpSession, type RtpSessionMedia } from '../../../electron/engine/telephony/rtp/session';
import { encodeRtp } from '../../../electron/engine/telephony/rtp/packet';
import { encodeMuLaw } from '../../../electron/engine/audio/g711';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { capturingLogger, loud, rawSocket, sendRaw, sine, sleep, waitFor } from './harness';

const PCMU = { codec: 'PCMU' as const, payloadType: 0, dtmfPayloadType: 101 };
const speech = encodeMuLaw(sine(300, 20));

/** A clock the test beats by hand (a test double: the sessions only call `add`). */
class HandClock {
  private readonly listeners = new Set<(frames: number) => void>();
  add(listener: (frames: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  beat(): void {
    for (const l of [...this.listeners]) l(1);
  }
  asPlayoutClock(): PlayoutClock {
    return this as unknown as PlayoutClock;
  }
}

describe('RTP session streams', () => {
  const open: RtpSessionMedia[] = [];
  const sockets: Socket[] = [];
  const clocks: PlayoutClock[] = [];

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const s of sockets.splice(0)) s.close();
    for (const c of clocks.splice(0)) c.stop();
  });

  async function session(clock?: PlayoutClock) {
    const log = capturingLogger();
    const real = clock ?? new PlayoutClock();
    if (!clock) clocks.push(real);
    const media = await openRtpSession({ clock: real, logger: log.logger });
    open.push(media);
    return { media, log };
  }

  it('starts afresh when the far end changes SSRC and sequence, and plays comfort noise as silence', async () => {
    const { media, log } = await session();
    const heard: Int16Array[] = [];
    media.onAudio((f) => heard.push(f));
    const far = await rawSocket();
    sockets.push(far);
    media.setRemote({ address: '127.0.0.1', port: far.address().port }, PCMU);
    for (let i = 0; i < 10; i++) {
      await sendRaw(far, encodeRtp({ marker: false, payloadType: 0, sequence: 100 + i, timestamp: i * 160, ssrc: 1 }, speech), media.local.port);
      await sleep(20);
    }
    await sendRaw(far, encodeRtp({ marker: false, payloadType: 13, sequence: 110, timestamp: 1_600, ssrc: 1 }, new Uint8Array([40])), media.local.port);
    for (let i = 0; i < 10; i++) {
      await sendRaw(far, encodeRtp({ marker: i === 0, payloadType: 0, sequence: 40_000 + i, timestamp: 900_000 + i * 160, ssrc: 2 }, speech), media.local.port);
      await sleep(20);
    }
    await waitFor(() => heard.filter(loud).length >= 19, 2_000, 'both streams played');
    expect(media.stats()).toMatchObject({ packetsReceived: 21, discardedPackets: 0, packetsLost: 0 });
    expect(log.lines.some((l) => /SSRC changed/.test(l.msg))).toBe(true);
  });

  it('plays no inbound audio while sendonly, and keeps sending', async () => {
    const a = await session();
    const b = await session();
    a.media.setRemote(b.media.local, PCMU);
    b.media.setRemote(a.media.local, PCMU);
    const heard: Int16Array[] = [];
    a.media.onAudio((f) => heard.push(f));
    a.media.setDirection('sendonly');
    b.media.sendAudio(sine(440, 400));
    await sleep(600);
    expect(heard.filter(loud)).toHaveLength(0);
    expect(b.media.stats().packetsReceived).toBeGreaterThan(10);
  });

  it('latches afresh when the SDP gives a new address (re-INVITE)', async () => {
    const a = await session();
    const b = await session();
    const c = await session();
    a.media.setRemote(b.media.local, PCMU);
    b.media.setRemote(a.media.local, PCMU);
    await waitFor(() => a.media.stats().packetsReceived > 5, 2_000, 'latched to b');
    a.media.setRemote(c.media.local, PCMU);
    c.media.setRemote(a.media.local, PCMU);
    await b.media.close();
    const before = a.media.stats().packetsReceived;
    await waitFor(() => a.media.stats().packetsReceived > before + 5 && c.media.stats().packetsReceived > 5, 2_000, 'media with c');
    expect(a.media.stats().strayPackets).toBeLessThanOrEqual(2); // b's last packets in flight at most
  });

  it("sends every session's packet on the beat before any inbound frame reaches the pipeline", async () => {
    const clock = new HandClock();
    const a = await session(clock.asPlayoutClock());
    const b = await session(clock.asPlayoutClock());
    a.media.setRemote(b.media.local, PCMU);
    b.media.setRemote(a.media.local, PCMU);
    for (let i = 0; i < 5; i++) {
      clock.beat();
      await sleep(30);
    }
    const seen: number[] = [];
    a.media.onAudio(() => seen.push(b.media.stats().packetsSent));
    const sentBefore = b.media.stats().packetsSent;
    clock.beat();
    // Within the beat both sessions sent; a's listener runs after, and sees b's packet already out.
    expect(b.media.stats().packetsSent).toBe(sentBefore + 1);
    expect(seen).toEqual([]);
    await sleep(10);
    expect(seen).toEqual([sentBefore + 1]);
  });

  it('plays a jittery, reordered stream complete and in order, its delay target raised', async () => {
    const { media } = await session();
    const far = await rawSocket();
    sockets.push(far);
    media.setRemote({ address: '127.0.0.1', port: far.address().port }, PCMU);
    // Frame i carries its index in its first ten samples (bit set: +16000, clear: -16000); a
    // concealed frame is half as loud, so only real frames decode.
    const frameFor = (i: number) => Int16Array.from({ length: 160 }, (_, k) => (k < 10 && ((i >> k) & 1) === 0 ? -16_000 : 16_000));
    const heard: number[] = [];
    media.onAudio((f) => {
      if (Math.abs(f[0]!) < 12_000) return;
      let index = 0;
      for (let k = 0; k < 10; k++) if (f[k]! > 0) index |= 1 << k;
      heard.push(index);
    });
    const count = 150;
    const started = performance.now();
    // Each packet leaves 0-50 ms after its time, so neighbours often swap places.
    const jitter = Array.from({ length: count }, () => Math.random() * 50);
    const sends = Array.from({ length: count }, (_, i) =>
      new Promise<void>((resolve) =>
        setTimeout(
          () => void sendRaw(far, encodeRtp({ marker: false, payloadType: 0, sequence: (65_500 + i) & 0xffff, timestamp: i * 160, ssrc: 9 }, encodeMuLaw(frameFor(i))), media.local.port).then(resolve),
          Math.max(0, started + i * 20 + jitter[i]! - performance.now()),
        ),
      ),
    );
    await Promise.all(sends);
    await sleep(400);
    const stats = media.stats();
    const why = JSON.stringify(stats);
    expect(stats.jitterMs, why).toBeGreaterThan(5);
    expect(stats.jitterBufferMs, why).toBeGreaterThan(40);
    // Every packet arrived; one the playout clock had to give up on (a stalled machine) counts as late
    // and as a gap at its time, never as more.
    expect(stats.packetsReceived, why).toBe(count);
    expect(stats.packetsLost, why).toBeLessThanOrEqual(stats.latePackets);
    // A busy machine can stall this process past even the adapted target: a few frames may be
    // dropped as late or trimmed; every other frame plays, in order, once.
    const dropped = stats.latePackets + stats.trimmedFrames;
    expect(dropped, why).toBeLessThanOrEqual(10);
    expect(heard.length, why).toBeGreaterThanOrEqual(count - dropped);
    expect(heard).toEqual([...heard].sort((x, y) => x - y));
    expect(new Set(heard).size).toBe(heard.length);
  });

  it('survives garbage from its own latched source', async () => {
    const { media, log } = await session();
    const far = await rawSocket();
    sockets.push(far);
    media.setRemote({ address: '127.0.0.1', port: far.address().port }, PCMU);
    await sendRaw(far, encodeRtp({ marker: true, payloadType: 0, sequence: 1, timestamp: 0, ssrc: 5 }, speech), media.local.port);
    for (let i = 0; i < 300; i++) {
      const junk = crypto.getRandomValues(new Uint8Array(Math.floor(Math.random() * 300)));
      if (junk.length > 1 && i % 3 === 0) junk[0] = 0x80; // version 2: reaches the payload checks
      await sendRaw(far, junk, media.local.port);
      if (i % 10 === 9) await sleep(5); // within the socket's buffer even on a busy machine
    }
    await sendRaw(far, encodeRtp({ marker: false, payloadType: 0, sequence: 2, timestamp: 160, ssrc: 5 }, speech), media.local.port);
    await waitFor(() => media.stats().packetsReceived >= 2, 1_000, 'the valid packet after the garbage');
    // Some junk may be lost in the socket's buffer; what arrived was counted, and nothing threw.
    expect(media.stats().discardedPackets).toBeGreaterThan(100);
    expect(log.lines.filter((l) => l.problem === 'handler-error' || l.problem === 'listener-error')).toEqual([]);
  });
});

describe('RTP port range', () => {
  it('binds a free even port in the range, skipping a taken one, and says so when none is free', async () => {
    const clock = new PlayoutClock();
    const { logger } = capturingLogger();
    const { createSocket } = await import('node:dgram');
    // Find an even port p with p and p+2 free, then take p.
    let taken: Socket | undefined;
    let p = 0;
    for (let attempt = 0; attempt < 20 && !taken; attempt++) {
      p = 40_000 + 2 * Math.floor(Math.random() * 10_000);
      const socket = createSocket('udp4');
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(p, '127.0.0.1', () => resolve(true));
      });
      if (ok) taken = socket;
      else socket.close();
    }
    expect(taken).toBeDefined();
    try {
      const media = await openRtpSession({ clock, logger, portMin: p, portMax: p + 3 });
      expect(media.local.port).toBe(p + 2);
      await media.close();
      await expect(openRtpSession({ clock, logger, portMin: p, portMax: p + 1 })).rejects.toThrow(/No free RTP port/);
      await expect(openRtpSession({ clock, logger, portMin: p + 1, portMax: p + 1 })).rejects.toThrow(/no even port/);
      await expect(openRtpSession({ clock, logger, localAddress: 'pbx.example' })).rejects.toThrow(/not an IP address/);
    } finally {
      taken!.close();
      clock.stop();
    }
  });
});
