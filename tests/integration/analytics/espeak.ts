import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, resample } from '../../../electron/engine/audio';

/** True when espeak-ng is installed (CI installs it; see .ci/run). */
export function hasEspeak(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface SpeechStyle {
  wordsPerMinute: number;
  /** espeak-ng amplitude 0-200 (100 is its default). */
  amplitude: number;
  /** espeak-ng pitch 0-99 (50 is its default). */
  pitch: number;
}

export const CALM: SpeechStyle = { wordsPerMinute: 150, amplitude: 60, pitch: 45 };
export const ANGRY: SpeechStyle = { wordsPerMinute: 235, amplitude: 190, pitch: 78 };

/** Speaks `text` with espeak-ng and returns PCM16 mono at `sampleRate`. */
export function speak(text: string, style: SpeechStyle, sampleRate = 16_000): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'parley-espeak-'));
  try {
    const file = join(dir, 'utterance.wav');
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', String(style.wordsPerMinute), '-a', String(style.amplitude), '-p', String(style.pitch), '-w', file, text], {
      timeout: 20_000,
    });
    const wav = decodeWav(readFileSync(file));
    return resample(wav.samples, wav.sampleRate, sampleRate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
