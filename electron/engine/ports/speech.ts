import type { AudioChunk } from './audio';

export interface SpeechToTextCapabilities {
  /** Languages it can transcribe, or 'multilingual'. */
  languages: string[] | 'multilingual';
  /** True when the model runs on a GPU backend. */
  gpu: boolean;
}

/** One utterance (segmented by VAD) in, text out. A vendor implements `transcribe`. */
export interface SpeechToText {
  readonly name: string;
  /** The configured provider (`providers.id`), for costs and health; unset for engines configured in code. */
  readonly providerId?: string;
  readonly capabilities: SpeechToTextCapabilities;
  /**
   * `audio` is PCM16 mono at 16 kHz. `segment` says where the audio sits in the call's inbound
   * stream (ms from the call's first frame); recognizers ignore it, the simulated calls'
   * reference-transcript adapter uses it to find what the caller said then.
   */
  transcribe(
    audio: Int16Array,
    options?: { language?: string; signal?: AbortSignal; segment?: { startMs: number; endMs: number } },
  ): Promise<{ text: string; language?: string }>;
  dispose(): Promise<void>;
}

export interface SynthesizeOptions {
  voice?: string;
  language?: string;
  signal?: AbortSignal;
  style?: SpeechStyle;
  /** A billed voice says what this sentence cost it (characters sent to the service); a cached or local one says nothing. */
  onUsage?: (usage: { characters: number; providerId?: string }) => void;
}

export interface TextToSpeechCapabilities {
  sampleRate: number;
  voices: string[];
  languages: string[];
}

/** How to say it, relative to the voice's normal: 1 is unchanged. Engines apply what they can. */
export interface SpeechStyle {
  /** Speaking rate, e.g. 0.85 to slow down for a frustrated caller. */
  rate?: number;
  /** Loudness (espeak-ng amplitude). */
  volume?: number;
  /** Pitch (espeak-ng). */
  pitch?: number;
}

/** Text in, audio chunks out (streamed: the first chunk as soon as it is ready). */
export interface TextToSpeech {
  readonly name: string;
  /** The configured provider (`providers.id`), for costs and health; unset for engines configured in code. */
  readonly providerId?: string;
  readonly capabilities: TextToSpeechCapabilities;
  synthesize(text: string, options?: SynthesizeOptions): AsyncIterable<AudioChunk>;
  dispose(): Promise<void>;
}

/** Voice activity detection. The model is shared; each call gets its own stream with its own state. */
export interface VoiceActivityDetector {
  readonly name: string;
  /** Samples per frame the stream expects, at 16 kHz (Silero: 512). */
  readonly frameSamples: number;
  createStream(): VadStream;
  dispose(): Promise<void>;
}

export interface VadStream {
  /** Speech probability 0..1 for one frame of `frameSamples` PCM16 samples at 16 kHz. */
  process(frame: Int16Array): Promise<number>;
  reset(): void;
}
