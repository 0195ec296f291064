import type { SpeechStyle } from '../../ports/speech';

export interface EspeakConfig {
  /** The espeak-ng executable (Debian: /usr/bin/espeak-ng). */
  binary?: string;
  /**
   * 'auto' (default): the system's espeak-ng when installed (faster), else the WebAssembly build in the
   * npm package; 'system' or 'wasm' to insist on one.
   */
  engine?: 'auto' | 'system' | 'wasm';
  /** Voice used when a call names none or one espeak does not have ("en-us", "en-gb+f3"). */
  voice?: string;
  wordsPerMinute?: number;
  /** 0-99. */
  pitch?: number;
  /** A sentence that takes longer than this to synthesize is abandoned. */
  timeoutMs?: number;
}

const VOICE_NAME = /^[a-z]{2,3}(-[a-z0-9]{1,8})*(\+[a-z0-9]{1,10})?$/i;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** A voice espeak has: the one asked for, else the language's, else the configured default. */
export function resolveEspeakVoice(voices: Set<string>, config: EspeakConfig, voice?: string, language?: string): string {
  const wanted = [voice, language, language?.split('-')[0], config.voice, 'en-us', 'en'];
  for (const candidate of wanted) {
    if (!candidate || !VOICE_NAME.test(candidate)) continue;
    const base = candidate.toLowerCase().split('+')[0]!;
    if (voices.has(base)) return candidate.toLowerCase();
  }
  return voices.values().next().value ?? 'en';
}

/** Voice, rate, pitch and loudness as espeak-ng's command line takes them (both builds read the same). */
export function espeakArguments(config: EspeakConfig, voice: string, style: SpeechStyle = {}): string[] {
  const wpm = Math.round((config.wordsPerMinute ?? 165) * clamp(style.rate ?? 1, 0.5, 2));
  const args = ['-v', voice, '-s', String(wpm)];
  const pitch = (config.pitch ?? 50) * (style.pitch ?? 1);
  if (config.pitch !== undefined || style.pitch !== undefined) args.push('-p', String(Math.round(clamp(pitch, 0, 99))));
  if (style.volume !== undefined) args.push('-a', String(Math.round(clamp(100 * style.volume, 0, 200))));
  return args;
}
