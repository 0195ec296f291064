import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpusEncoderPool } from '../../../electron/engine/audio/opus-encoder-pool';
import { CallRecorder, type RecorderOutput } from '../../../electron/engine/recording/call-recorder';
import { decodeOggOpus, rmsBetween } from '../../support/ogg-opus-decode';
import { tempDataDir } from '../../support/temp-dir';

const RATE = 8_000;
const FRAME = RATE / 50;

function tone(hz: number): Int16Array {
  const frame = new Int16Array(FRAME);
  for (let i = 0; i < FRAME; i++) frame[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / RATE));
  return frame;
}

/** A recorder on a simulated clock: `tick` moves 20 ms and lets the flush timer run. */
function harness(pool: OpusEncoderPool, dir: string, callId: string, redact: boolean) {
  let clock = 0;
  const events: Array<{ kind: string; data: Record<string, unknown> }> = [];
  let closed: { durationMs: number } | undefined;
  const output: RecorderOutput = { started: () => undefined, closed: (s) => (closed = s), failed: () => undefined, event: (kind, data) => events.push({ kind, data }) };
  const recorder = new CallRecorder({ pool, dataDir: dir, callId, policy: { needsConsent: false, redact }, output, wallClock: () => Date.UTC(2026, 11, 5), now: () => clock, flushEveryMs: 1 });
  recorder.begin();
  return {
    recorder,
    events,
    closed: () => closed,
    file: join(dir, CallRecorder.relativePath(callId, Date.UTC(2026, 11, 5))),
    async run(ms: number, each: (streamMs: number) => void) {
      for (let t = 0; t < ms; t += 20) {
        clock += 20;
        each(clock - 20);
        if ((clock / 20) % 10 === 0) await new Promise((r) => setTimeout(r, 2));
      }
    },
  };
}

describe('call recorder', () => {
  const data = tempDataDir();
  const pool = new OpusEncoderPool();
  afterAll(async () => {
    await pool.dispose();
    data.cleanup();
  });

  it('keeps each channel on the clock: a gap in caller frames stays silence, agent audio lands when it was sent', async () => {
    const h = harness(pool, data.dir, 'timing', false);
    const caller = tone(300);
    const agent = tone(1000);
    await h.run(3000, (ms) => {
      if (ms < 1000 || ms >= 2000) h.recorder.inbound(caller, RATE, ms); // the line drops a second of frames
      if (ms >= 1500 && ms < 2500) h.recorder.outbound(agent, RATE);
    });
    await h.recorder.close();
    expect(h.closed()!.durationMs).toBe(3000);
    const { left, right } = await decodeOggOpus(h.file);
    expect(rmsBetween(left, 48_000, 100, 900)).toBeGreaterThan(0.1);
    expect(rmsBetween(left, 48_000, 1150, 1850)).toBeLessThan(0.01);
    expect(rmsBetween(left, 48_000, 2150, 2900)).toBeGreaterThan(0.1);
    expect(rmsBetween(right, 48_000, 100, 1400)).toBeLessThan(0.01);
    expect(rmsBetween(right, 48_000, 1600, 2400)).toBeGreaterThan(0.1);
    expect(rmsBetween(right, 48_000, 2600, 2900)).toBeLessThan(0.01);
  });

  it('with redaction, silences a turn whose words hold a card number, keeps one that does not, and silences speech never judged', async () => {
    const h = harness(pool, data.dir, 'redacted', true);
    const voice = tone(300);
    // Speech 1-2 s (a card number), 4-5 s (an ordinary answer), and from 7 s on with no words ever coming.
    const speaking = (ms: number) => (ms >= 1000 && ms < 2000) || (ms >= 4000 && ms < 5000) || ms >= 7000;
    await h.run(30_000, (ms) => {
      h.recorder.inbound(speaking(ms) ? voice : new Int16Array(FRAME), RATE, ms);
      if (ms === 1100 || ms === 4100 || ms === 7100) h.recorder.callerSpeech('start', ms);
      if (ms === 2000 || ms === 5000) h.recorder.callerSpeech('stop', ms);
      if (ms === 2600) h.recorder.callerText('it is four one one one one one one one one one one one one one one one');
      if (ms === 5600) h.recorder.callerText('Tuesday works best.');
    });
    await h.recorder.close();
    const { left } = await decodeOggOpus(h.file);
    expect(rmsBetween(left, 48_000, 600, 2300)).toBeLessThan(0.001);
    expect(rmsBetween(left, 48_000, 4100, 4900)).toBeGreaterThan(0.1);
    expect(rmsBetween(left, 48_000, 7000, 29_000)).toBeLessThan(0.001);
    expect(h.events.map((e) => e.data.kinds)).toEqual([['card'], ['unchecked']]);
  });

  it('with redaction, holds a turn that ends in digits for the next one: a card read in two turns is silenced whole, a short number is released', async () => {
    const h = harness(pool, data.dir, 'split', true);
    const voice = tone(300);
    // 1-2 s: "4111 1111"; 3-4 s: "1111 1111" (the card goes on); 6-7 s: "at 1030" (a time); nothing after.
    const speaking = (ms: number) => (ms >= 1000 && ms < 2000) || (ms >= 3000 && ms < 4000) || (ms >= 6000 && ms < 7000);
    await h.run(20_000, (ms) => {
      h.recorder.inbound(speaking(ms) ? voice : new Int16Array(FRAME), RATE, ms);
      for (const start of [1000, 3000, 6000]) if (ms === start + 100) h.recorder.callerSpeech('start', ms);
      for (const stop of [2000, 4000, 7000]) if (ms === stop) h.recorder.callerSpeech('stop', ms);
      if (ms === 2500) h.recorder.callerText('It is 4111 1111');
      if (ms === 4500) h.recorder.callerText('1111 1111.');
      if (ms === 7500) h.recorder.callerText('Tuesday at 1030');
    });
    await h.recorder.close();
    const { left } = await decodeOggOpus(h.file);
    expect(rmsBetween(left, 48_000, 1000, 2000)).toBeLessThan(0.001);
    expect(rmsBetween(left, 48_000, 3000, 4000)).toBeLessThan(0.001);
    expect(rmsBetween(left, 48_000, 6100, 6900)).toBeGreaterThan(0.1);
    expect(h.events.map((e) => e.data.kinds)).toEqual([['card']]);
  });
});
