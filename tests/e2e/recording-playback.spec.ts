import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OggOpusFileWriter } from '../../electron/engine/audio/ogg-opus-file';
import { OpusEncoderPool } from '../../electron/engine/audio/opus-encoder-pool';
import { tempDataDir } from '../support/temp-dir';

/**
 * Chromium plays what the recorder writes: an 8 kHz stereo recording (the phone-line case) made by
 * the same writer and encoder thread, decoded by the browser's own media stack.
 */
test('Chromium decodes a recording: stereo, 48 kHz, the right length, each channel where it was', async ({ page }) => {
  const data = tempDataDir('parley-e2e-ogg-');
  const pool = new OpusEncoderPool();
  try {
    const path = join(data.dir, 'call.ogg');
    const rate = 8_000;
    const pcm = new Int16Array(rate * 3 * 2);
    for (let i = 0; i < rate * 3; i++) {
      const v = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
      if (i < rate) pcm[i * 2] = v; // first second: the caller (left)
      else if (i >= 2 * rate) pcm[i * 2 + 1] = v; // last second: the agent (right)
    }
    const stream = pool.open(rate, 2, 24_000);
    const writer = await OggOpusFileWriter.create(path, { channels: 2, inputSampleRate: rate });
    writer.add(await stream.encode(pcm));
    writer.add(await stream.encode(new Int16Array((rate / 50) * 2)));
    await writer.close(1);
    const base64 = readFileSync(path).toString('base64');

    await page.goto('about:blank');
    // Runs in the page (browser globals), so it is handed over as source text.
    const result = (await page.evaluate(`(async () => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));
      const audio = await new OfflineAudioContext(2, 48000, 48000).decodeAudioData(bytes.buffer);
      const rms = (ch, from, to) => {
        const d = audio.getChannelData(ch).subarray(Math.floor(from * audio.sampleRate), Math.floor(to * audio.sampleRate));
        return Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
      };
      return { duration: audio.duration, channels: audio.numberOfChannels, leftFirst: rms(0, 0.1, 0.9), rightFirst: rms(1, 0.1, 0.9), leftLast: rms(0, 2.1, 2.9), rightLast: rms(1, 2.1, 2.9), canPlay: document.createElement('audio').canPlayType('audio/ogg; codecs=opus') };
    })()`)) as { duration: number; channels: number; leftFirst: number; rightFirst: number; leftLast: number; rightLast: number; canPlay: string };
    expect(result.canPlay).not.toBe('');
    expect(result.channels).toBe(2);
    expect(Math.abs(result.duration - 3)).toBeLessThan(0.03);
    expect(result.leftFirst).toBeGreaterThan(0.1);
    expect(result.rightFirst).toBeLessThan(0.02);
    expect(result.rightLast).toBeGreaterThan(0.1);
    expect(result.leftLast).toBeLessThan(0.02);
  } finally {
    await pool.dispose();
    data.cleanup();
  }
});
