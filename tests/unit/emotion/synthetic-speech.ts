/** Speech-like test signals: voiced "syllables" (tone bursts with a smooth envelope) and pauses. */
export interface SyntheticSpeechOptions {
  sampleRate?: number;
  f0Hz?: number;
  /** Peak amplitude 0..1 of full scale. */
  amplitude?: number;
  syllables?: number;
  syllableMs?: number;
  gapMs?: number;
  /** Pause inserted after every `pauseEvery` syllables. */
  pauseMs?: number;
  pauseEvery?: number;
  /** Pitch glide across each syllable, as a fraction of f0 (intonation, which gives F0 a range). */
  glide?: number;
}

export function syntheticSpeech(options: SyntheticSpeechOptions = {}): Int16Array {
  const sampleRate = options.sampleRate ?? 16_000;
  const f0 = options.f0Hz ?? 150;
  const amplitude = options.amplitude ?? 0.3;
  const syllables = options.syllables ?? 8;
  const syllableSamples = Math.round(((options.syllableMs ?? 160) * sampleRate) / 1000);
  const gapSamples = Math.round(((options.gapMs ?? 90) * sampleRate) / 1000);
  const pauseSamples = Math.round(((options.pauseMs ?? 0) * sampleRate) / 1000);
  const pauseEvery = options.pauseEvery ?? Infinity;
  const glide = options.glide ?? 0;
  const lead = Math.round(0.2 * sampleRate);
  const out: number[] = new Array(lead).fill(0);
  for (let s = 0; s < syllables; s++) {
    let phase = 0;
    for (let i = 0; i < syllableSamples; i++) {
      const progress = i / syllableSamples;
      const hz = f0 * (1 + glide * (progress - 0.5));
      phase += (2 * Math.PI * hz) / sampleRate;
      const envelope = Math.sin(Math.PI * progress) ** 2;
      out.push(amplitude * envelope * (0.8 * Math.sin(phase) + 0.2 * Math.sin(2 * phase)));
    }
    if (s < syllables - 1) {
      const gap = (s + 1) % pauseEvery === 0 ? pauseSamples : gapSamples;
      for (let i = 0; i < gap; i++) out.push(0);
    }
  }
  for (let i = 0; i < lead; i++) out.push(0);
  // A faint noise floor, as on a real line.
  let seed = 7;
  return Int16Array.from(out, (v) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const noise = (seed / 2 ** 31 - 0.5) * 0.0005;
    return Math.round(Math.max(-1, Math.min(1, v + noise)) * 32767);
  });
}
