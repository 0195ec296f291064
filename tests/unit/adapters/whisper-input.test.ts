import { describe, expect, it } from 'vitest';
import { cleanTranscript, MIN_INPUT_SAMPLES, toWhisperInput } from '../../../electron/engine/adapters/stt/whisper';

describe('whisper input preparation', () => {
  it('passes 16 kHz audio of a second or more through unchanged', () => {
    const audio = Int16Array.from({ length: 20_000 }, (_, i) => (i % 200) - 100);
    expect(new Int16Array(toWhisperInput(audio))).toEqual(audio);
  });

  it('pads a short clip with trailing silence to the length whisper.cpp will transcribe', () => {
    const yes = Int16Array.from({ length: 6_400 }, (_, i) => (i % 50) * 10 + 1);
    const input = new Int16Array(toWhisperInput(yes));
    expect(input.length).toBe(MIN_INPUT_SAMPLES);
    expect(input.subarray(0, yes.length)).toEqual(yes);
    expect(input.subarray(yes.length).every((s) => s === 0)).toBe(true);
    expect(toWhisperInput(new Int16Array(0)).byteLength).toBe(0);
  });

  it('converts phone-rate audio to 16 kHz and refuses rates it cannot convert', () => {
    const phone = new Int16Array(16_000); // 2 s at 8 kHz
    expect(new Int16Array(toWhisperInput(phone, 8_000)).length).toBe(32_000);
    expect(() => toWhisperInput(phone, 11_025)).toThrow(/11025 Hz cannot be converted/);
    expect(() => toWhisperInput(new Float32Array(10) as unknown as Int16Array)).toThrow(/Int16Array/);
  });

  it('keeps only the words of a transcript', () => {
    expect(cleanTranscript(' [BLANK_AUDIO] ')).toBe('');
    expect(cleanTranscript(' Hello (coughs) there [MUSIC]  friend ')).toBe('Hello there friend');
  });
});
