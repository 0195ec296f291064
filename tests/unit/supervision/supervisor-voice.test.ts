import { describe, expect, it } from 'vitest';
import { SpeechGate } from '../../../electron/engine/supervision/speech-gate';
import { SupervisorVoice } from '../../../electron/engine/supervision/supervisor-voice';

/** 20 ms of a 220 Hz tone at 8 kHz, at `amplitude` (a voice-like level at 6000). */
const tone = (amplitude: number, rate = 8_000, ms = 20, offset = 0) =>
  Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * 220 * (i + offset)) / rate)));
const quiet = (rate = 8_000, ms = 20) => Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) => (i % 7) - 3);

describe('supervisor speech gate', () => {
  it('starts after a few loud frames, ignores a click, and stops after the hangover', () => {
    const gate = new SpeechGate();
    const changes: Array<[number, string]> = [];
    const frames = [...Array(20).fill(quiet()), tone(6000), quiet(), ...Array(10).fill(tone(6000)), ...Array(30).fill(quiet())];
    frames.forEach((f, i) => {
      const change = gate.process(f);
      if (change) changes.push([i, change]);
    });
    // The single loud frame at 20 is a click; speech starts on the third loud frame of the run at 22.
    expect(changes[0]).toEqual([24, 'start']);
    // 500 ms of quiet after the last loud frame (31) ends it.
    expect(changes[1]).toEqual([31 + 25, 'stop']);
  });
});

describe('supervisor voice on a call', () => {
  function rig(mode: 'barge' | 'takeover') {
    let beat: (n: number) => void = () => undefined;
    const sent: Int16Array[] = [];
    const speaking: boolean[] = [];
    const utterances: Int16Array[] = [];
    let t = 0;
    const voice = new SupervisorVoice({
      lineRate: 8_000,
      clock: { add: (listener) => ((beat = listener), () => (beat = () => undefined)) },
      mode,
      send: (f) => sent.push(f),
      onSpeaking: (s) => speaking.push(s),
      onUtterance: (audio) => utterances.push(audio),
      now: () => t,
    });
    const feed = (frames: Int16Array[], rate = 16_000) => {
      for (const f of frames) {
        voice.push(f, rate);
        t += 20;
        beat(1);
      }
    };
    return { voice, sent, speaking, utterances, feed };
  }

  it('while barging in, sends only the supervisor’s speech (with a pre-roll) and says when they talk', () => {
    const { sent, speaking, utterances, feed, voice } = rig('barge');
    const silence = Array.from({ length: 50 }, () => quiet(16_000));
    const speech = Array.from({ length: 40 }, (_, i) => tone(6000, 16_000, 20, i * 320));
    feed([...silence, ...speech, ...silence]);
    expect(speaking).toEqual([true, false]);
    // Speech frames plus the pre-roll plus the hangover, at the line's rate; nothing of the silence before.
    expect(sent.length).toBeGreaterThanOrEqual(40);
    expect(sent.length).toBeLessThan(40 + 5 + 30);
    expect(sent.every((f) => f.length === 160)).toBe(true);
    expect(utterances).toHaveLength(1);
    expect(utterances[0]!.length).toBeGreaterThan(40 * 320 * 0.9); // resampled to 16 kHz for the recognizer
    voice.dispose();
  });

  it('while taking over, sends everything the microphone hears, paced one frame per beat', () => {
    const { sent, feed, voice } = rig('takeover');
    feed(Array.from({ length: 100 }, () => quiet(48_000)), 48_000);
    // The jitter buffer holds a few frames back; everything else went out, resampled to 8 kHz.
    expect(sent.length).toBeGreaterThanOrEqual(95);
    expect(sent.every((f) => f.length === 160)).toBe(true);
    voice.dispose();
  });

  it('bounds the delay when the network delivers a burst', () => {
    const { sent, voice } = rig('takeover');
    for (let i = 0; i < 200; i++) voice.push(quiet(16_000), 16_000); // two seconds arrive at once
    expect(sent).toHaveLength(0);
    voice.dispose();
  });
});
