import { readFileSync } from 'node:fs';
import { concatPcm, decodeWav, silence } from '../../../electron/engine/audio';
import { fixture } from '../../support/fixtures';

/** jfk.wav as 16 kHz PCM16, or undefined (with the reason printed) when the fixture is absent. */
export function jfkSpeech(): Int16Array | undefined {
  const path = fixture('audio/jfk.wav');
  if (!path) return undefined;
  const wav = decodeWav(readFileSync(path));
  if (wav.sampleRate !== 16_000) throw new Error(`jfk.wav is ${wav.sampleRate} Hz, expected 16 kHz`);
  return wav.samples;
}

/** Speech with known silence around it: `leadMs` of silence, the speech, `trailMs` of silence. */
export function paddedSpeech(speech: Int16Array, leadMs: number, trailMs: number): Int16Array {
  return concatPcm([silence(16_000, leadMs), speech, silence(16_000, trailMs)]);
}
