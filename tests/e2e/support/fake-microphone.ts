import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../../../playwright.config';

/**
 * Chromium with a fake microphone that speaks `line` (espeak-ng at 48 kHz, with a pause so speech
 * segments end): launch options for `test.use`. The WAV is made once per name in the temp folder.
 */
export function fakeMicrophoneLaunch(name: string, line: string): { executablePath: string; args: string[] } {
  const dir = join(tmpdir(), 'parley-e2e-microphone');
  mkdirSync(dir, { recursive: true });
  const wav = join(dir, `${name}-48k.wav`);
  if (!existsSync(wav)) {
    const raw = join(dir, `${name}-raw.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', raw, line], { timeout: 20_000 });
    execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', wav, 'pad', '0', '2'], { timeout: 20_000 });
  }
  return {
    executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
  };
}
