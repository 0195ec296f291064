import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:dgram';
import { openRtpSession, type RtpSessionMedia } from '../../../electron/engine/telephony/rtp/session';
import { encodeRtp } from '../../../electron/engine/telephony/rtp/packet';
import { encodeMuLaw } from '../../../electron/engine/voice/audio/g711';
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
});
