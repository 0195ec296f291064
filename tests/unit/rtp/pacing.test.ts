import { describe, expect, it } from 'vitest';
import { parseRtp } from '../../../electron/engine/telephony/rtp/packet';
import { RtpSender } from '../../../electron/engine/telephony/rtp/sender';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';

describe('outbound pacing on the shared clock', () => {
  it('sends exactly one packet per 20 ms of clock time over an hour, timestamps in step (no drift)', async () => {
    // The clock reads a time that runs 1,000 times faster than real time: an hour passes in 3.6 s,
    // with the timer always "late", so every beat is a catch-up of many frames.
    const started = performance.now();
    const fast = () => (performance.now() - started) * 1_000;
    const clock = new PlayoutClock(fast);
    let packets = 0;
    let firstTimestamp: number | undefined;
    let lastTimestamp = 0;
    const sender = new RtpSender(
      (bytes) => {
        const parsed = parseRtp(bytes);
        if (!parsed.ok) throw new Error(parsed.problem);
        firstTimestamp ??= parsed.packet.timestamp;
        lastTimestamp = parsed.packet.timestamp;
        packets++;
      },
      () => {},
    );
    sender.setFormat({ codec: 'PCMU', payloadType: 0, dtmfPayloadType: null });
    const hourMs = 3_600_000;
    let clockStart: number | undefined;
    let elapsedAtStop = 0;
    await new Promise<void>((resolve) => {
      const stop = clock.add((frames) => {
        clockStart ??= fast() - frames * 20;
        for (let i = 0; i < frames; i++) sender.beat();
        if (fast() - clockStart >= hourMs) {
          elapsedAtStop = fast() - clockStart;
          stop();
          resolve();
        }
      });
    });
    const expected = elapsedAtStop / 20;
    expect(Math.abs(packets - expected)).toBeLessThanOrEqual(60); // within the last catch-up beat (1 ms real = 50 frames)
    expect(packets).toBeGreaterThanOrEqual(180_000);
    expect((lastTimestamp - firstTimestamp! + 2 ** 32) % 2 ** 32).toBe(((packets - 1) * 160) % 2 ** 32);
  }, 30_000);
});
