import { afterAll, describe, expect, it } from 'vitest';
import { createEspeakTts } from '../../../electron/engine/adapters/tts/espeak';
import { EspeakWasmTts } from '../../../electron/engine/adapters/tts/espeak-wasm';
import type { TextToSpeech } from '../../../electron/engine/ports/speech';

async function speak(tts: TextToSpeech, text: string, options = {}): Promise<{ samples: number; sampleRate: number; chunks: number }> {
  let samples = 0;
  let sampleRate = 0;
  let chunks = 0;
  for await (const chunk of tts.synthesize(text, options)) {
    samples += chunk.samples.length;
    sampleRate = chunk.sampleRate;
    chunks++;
  }
  return { samples, sampleRate, chunks };
}

describe('espeak-ng built in (WebAssembly, no system install)', () => {
  const opened: TextToSpeech[] = [];
  afterAll(async () => {
    for (const tts of opened) await tts.dispose();
  });

  it('speaks a sentence at speaking length, streamed in chunks, with voices of its own', async () => {
    const tts = await createEspeakTts({ engine: 'wasm' });
    opened.push(tts);
    expect(tts).toBeInstanceOf(EspeakWasmTts);
    expect(tts.capabilities.voices).toContain('en-us');
    expect(tts.capabilities.voices.length).toBeGreaterThan(50);
    const { samples, sampleRate, chunks } = await speak(tts, 'Hello, this is Sam from Parley. Is now a good time to talk?');
    expect(sampleRate).toBe(22_050);
    // About three seconds of speech at 165 words a minute.
    expect(samples / sampleRate).toBeGreaterThan(2);
    expect(samples / sampleRate).toBeLessThan(6);
    expect(chunks).toBeGreaterThan(10);
    // Faster speech is shorter: style reaches the synthesizer.
    const fast = await speak(tts, 'Hello, this is Sam from Parley. Is now a good time to talk?', { style: { rate: 1.8 } });
    expect(fast.samples).toBeLessThan(samples * 0.75);
  });

  it('is what a machine without espeak-ng installed gets, and text that looks like an option is spoken, not obeyed', async () => {
    const tts = await createEspeakTts({ binary: '/nonexistent/espeak-ng' });
    opened.push(tts);
    expect(tts.name).toBe('espeak-ng (built in)');
    const { samples } = await speak(tts, '-v xx --help');
    expect(samples).toBeGreaterThan(0);
  });

  it('several sentences at once all come back (a pool of threads, never the event loop)', async () => {
    const tts = await createEspeakTts({ engine: 'wasm' });
    opened.push(tts);
    const stalls: number[] = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      stalls.push(now - last);
      last = now;
    }, 5);
    const results = await Promise.all(['One.', 'Two, three.', 'Four, five, six.', 'Seven.'].map((text) => speak(tts, text)));
    clearInterval(ticker);
    expect(results.every((r) => r.samples > 0)).toBe(true);
    expect(Math.max(...stalls)).toBeLessThan(80);
  });
});
