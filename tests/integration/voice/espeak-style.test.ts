import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEspeakTts } from '../../../electron/engine/adapters/tts/espeak';
import type { SynthesizeOptions, TextToSpeech } from '../../../electron/engine/ports/speech';
import { rms } from '../../../electron/engine/audio/pcm';

const espeak = existsSync('/usr/bin/espeak-ng');
if (!espeak) console.log('[not run] espeak-ng speaking style: /usr/bin/espeak-ng is not installed (apt-get install espeak-ng)');

async function speak(tts: TextToSpeech, text: string, options: SynthesizeOptions = {}): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for await (const chunk of tts.synthesize(text, options)) parts.push(chunk.samples);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe.runIf(espeak)('espeak-ng speaking style', () => {
  const text = 'Thank you for your patience. I will keep this short and simple.';

  it('speaks slower for a lower rate and louder for a higher volume', async () => {
    const tts = await createEspeakTts({});
    try {
      const normal = await speak(tts, text);
      const slower = await speak(tts, text, { style: { rate: 0.7 } });
      const louder = await speak(tts, text, { style: { volume: 1.8 } });
      expect(slower.length / normal.length).toBeGreaterThan(1.2);
      expect(rms(louder) / rms(normal)).toBeGreaterThan(1.3);
    } finally {
      await tts.dispose();
    }
  });
});
