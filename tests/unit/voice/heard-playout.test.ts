import { describe, expect, it } from 'vitest';
import type { CallLeg, LegPlayout } from '../../../electron/engine/ports/telephony';
import { OutputTransport } from '../../../electron/engine/voice/output-transport';
import type { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { SpeechHandle } from '../../../electron/engine/voice/speech-handle';

/** A clock driven by hand: one call of `beat()` is one 20 ms period. */
function manualClock() {
  const listeners = new Set<(frames: number) => void>();
  const clock = { add: (l: (frames: number) => void) => (listeners.add(l), () => listeners.delete(l)) } as unknown as PlayoutClock;
  return { clock, beat: (n = 1) => listeners.forEach((l) => l(n)) };
}

/** A leg whose carrier confirms playback (as Twilio's echoed marks do) exactly when the test says. */
function legWithPlayout(withPlayout: boolean) {
  let submitted = 0;
  let heard = 0;
  const playout: LegPlayout = { submitted: () => submitted, heard: () => heard };
  const leg = {
    id: 'leg',
    sampleRate: 8_000,
    onAudio: () => () => undefined,
    onEvent: () => () => undefined,
    sendAudio: () => void submitted++,
    mark: () => undefined,
    clear: () => undefined,
    sendDtmf: () => undefined,
    hangup: async () => undefined,
    ...(withPlayout ? { playout } : {}),
  } as CallLeg;
  return { leg, confirm: (frames: number) => (heard = frames) };
}

async function interruptAfter(withPlayout: boolean, beats: number, confirmed: number) {
  const { clock, beat } = manualClock();
  const { leg, confirm } = legWithPlayout(withPlayout);
  const output = new OutputTransport(leg, clock);
  const handle = new SpeechHandle('reply', 8_000);
  const segment = handle.addSegment('one two three four five six seven eight nine ten');
  handle.addAudio(segment, 160 * 100);
  handle.completeSegment(segment);
  output.queueFrame({ kind: 'data', type: 'tts-audio', handle, segment, samples: new Int16Array(160 * 100), sampleRate: 8_000 });
  await output.whenIdle();
  beat(beats);
  confirm(confirmed);
  output.queueFrame({ kind: 'system', type: 'interruption', at: performance.now() });
  await output.whenIdle();
  return handle.done;
}

describe('what the caller heard, when the agent is interrupted', () => {
  it('a carrier that confirms playback decides: only confirmed frames are kept in the history', async () => {
    // 42 frames sent, Twilio confirmed 20 played (its buffer and the network held the rest).
    const outcome = await interruptAfter(true, 40, 20);
    expect(outcome.interrupted).toBe(true);
    expect(outcome.playedMs).toBe(400);
    expect(outcome.heardText).toBe('one two');
  });

  it('without confirmation the estimate is what was sent less the lead frames', async () => {
    const outcome = await interruptAfter(false, 40, 0);
    expect(outcome.playedMs).toBe(800);
    expect(outcome.heardText).toBe('one two three four');
  });
});
