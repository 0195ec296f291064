import { describe, expect, it } from 'vitest';
import { MachineDetector, type MachineVerdict } from '../../../electron/engine/voice/machine-detection/machine-detector';
import { machineCue } from '../../../electron/engine/voice/machine-detection/transcript-cues';

const RATE = 8_000;
const FRAME = 160;

/** A voice-like signal: a 150 Hz buzz with syllables (4 per second), loud enough to be speech. */
function talk(ms: number): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let f = 0; f < ms / 20; f++) {
    const envelope = 0.6 + 0.4 * Math.sin((2 * Math.PI * 4 * f) / 50);
    frames.push(Int16Array.from({ length: FRAME }, (_, i) => Math.round(5_000 * envelope * (Math.sin((2 * Math.PI * 150 * (f * FRAME + i)) / RATE) + 0.5 * Math.sin((2 * Math.PI * 450 * (f * FRAME + i)) / RATE)))));
  }
  return frames;
}
const quiet = (ms: number) => Array.from({ length: ms / 20 }, () => new Int16Array(FRAME));
const beep = (hz: number, ms: number) => Array.from({ length: ms / 20 }, (_, f) => Int16Array.from({ length: FRAME }, (_, i) => Math.round(9_000 * Math.sin((2 * Math.PI * hz * (f * FRAME + i)) / RATE))));

function feed(detector: MachineDetector, ...parts: Int16Array[][]): void {
  for (const part of parts) for (const frame of part) detector.push(frame);
}

describe("Parley's answering-machine detector", () => {
  it('calls a short "Hello?" followed by waiting a person, within two seconds', () => {
    const detector = new MachineDetector(RATE);
    const verdicts: MachineVerdict[] = [];
    detector.onVerdict((v) => verdicts.push(v));
    feed(detector, quiet(300), talk(600), quiet(3_000));
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ answeredBy: 'human', method: 'short-greeting' });
    expect(verdicts[0]!.atMs).toBeLessThan(2_200);
    expect(verdicts[0]!.features.initialSilenceMs).toBeGreaterThanOrEqual(280);
    expect(detector.finished).toBe(true);
  });

  it('calls a greeting that talks on a machine before four seconds, then reports the beep after it', () => {
    const detector = new MachineDetector(RATE);
    const beeps: number[] = [];
    detector.onBeep((b) => beeps.push(b.endMs));
    feed(detector, quiet(200), talk(5_000));
    expect(detector.verdict).toMatchObject({ answeredBy: 'machine', method: 'long-greeting' });
    expect(detector.verdict!.atMs).toBeLessThanOrEqual(4_000);
    expect(detector.finished).toBe(false); // still listening for the beep
    feed(detector, quiet(400), beep(1_000, 400), quiet(200));
    expect(beeps).toHaveLength(1);
    expect(Math.abs(beeps[0]! - 6_000)).toBeLessThanOrEqual(40);
    expect(detector.finished).toBe(true);
  });

  it('checks a verdict from the sound alone: refuted when the speaker then waits with no beep, confirmed by a beep or by talking on', () => {
    const receptionist = new MachineDetector(RATE);
    feed(receptionist, quiet(200), talk(3_200));
    expect(receptionist.verdict).toMatchObject({ answeredBy: 'machine', method: 'long-greeting' });
    expect(receptionist.confirmation).toBeUndefined();
    feed(receptionist, quiet(2_100));
    expect(receptionist.confirmation).toMatchObject({ answeredBy: 'human', reason: expect.stringMatching(/waited 2\.0 s with no beep/) });

    const beeping = new MachineDetector(RATE);
    feed(beeping, quiet(200), talk(3_200), quiet(500), beep(1_000, 300), quiet(100));
    expect(beeping.confirmation).toMatchObject({ answeredBy: 'machine', reason: 'a beep followed the greeting' });

    const talkative = new MachineDetector(RATE);
    feed(talkative, quiet(200), talk(5_200));
    expect(talkative.confirmation).toMatchObject({ answeredBy: 'machine', reason: expect.stringMatching(/of speech without waiting/) });
  });

  it('a beep before any verdict is a machine (no greeting, straight to the tone)', () => {
    const detector = new MachineDetector(RATE);
    feed(detector, quiet(500), beep(850, 500), quiet(100));
    expect(detector.verdict).toMatchObject({ answeredBy: 'machine', method: 'beep' });
    expect(detector.confirmation).toMatchObject({ answeredBy: 'machine' }); // a beep needs no confirming
  });

  it('a silent line is unknown, not a machine (hanging up on a person costs most)', () => {
    const detector = new MachineDetector(RATE);
    feed(detector, quiet(3_200));
    expect(detector.verdict).toMatchObject({ answeredBy: 'unknown', method: 'silent-line' });
  });

  it('a transcript cue decides at once; without it the same audio waits for the pattern', () => {
    const detector = new MachineDetector(RATE);
    feed(detector, talk(800));
    expect(detector.verdict).toBeUndefined();
    detector.hearTranscript('Hi, you have reached Pat, please leave a message');
    expect(detector.verdict).toMatchObject({ answeredBy: 'machine', method: 'transcript' });
    const off = new MachineDetector(RATE, { useTranscript: false });
    feed(off, talk(800));
    off.hearTranscript('please leave a message');
    expect(off.verdict).toBeUndefined();
  });

  it('recognises voicemail phrases and leaves ordinary answers alone', () => {
    expect(machineCue("Sorry I can't take your call right now")).toBe("can't take your call");
    expect(machineCue('Please record your message after the tone.')).toBe('after the tone');
    expect(machineCue("You've reached the voicemail of Jordan")).toBeDefined();
    expect(machineCue('The person you are calling is not available')).toBe('not available');
    for (const said of ['Hello?', 'Yes, who is this?', 'Hi, this is Dana speaking', 'Can you call me back later?', "He's not available, would you like to leave a message?", 'She is unavailable, can I take a message?']) {
      expect(machineCue(said), said).toBeUndefined();
    }
  });
});
