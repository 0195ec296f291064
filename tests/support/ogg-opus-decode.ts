import { readFileSync } from 'node:fs';
import { OggOpusDecoder } from 'ogg-opus-decoder';

/**
 * Decodes an Ogg Opus file with an independent decoder (ogg-opus-decoder: its own Ogg parser and
 * libopus in WASM, as a browser would), so tests check the files our writer makes, not our reader.
 */
export async function decodeOggOpus(path: string): Promise<{ left: Float32Array; right: Float32Array; sampleRate: number; errors: number }> {
  const decoder = new OggOpusDecoder({ forceStereo: true });
  await decoder.ready;
  try {
    const decoded = await decoder.decodeFile(new Uint8Array(readFileSync(path)));
    return { left: decoded.channelData[0]!.slice(0, decoded.samplesDecoded), right: decoded.channelData[1]!.slice(0, decoded.samplesDecoded), sampleRate: decoded.sampleRate, errors: decoded.errors.length };
  } finally {
    decoder.free();
  }
}

/** RMS of `samples` between two times (ms). */
export function rmsBetween(samples: Float32Array, sampleRate: number, fromMs: number, toMs: number): number {
  const from = Math.max(0, Math.floor((fromMs * sampleRate) / 1000));
  const to = Math.min(samples.length, Math.floor((toMs * sampleRate) / 1000));
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / (to - from));
}
