import type { LanguageModel } from '../ports/llm';
import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from '../ports/speech';
import { EnergyVad } from '../voice/energy-vad';
import { createAnthropicLanguageModel, type AnthropicConfig } from './llm/anthropic';
import type { LlamaConfig } from './llm/llama';
import { createOpenAiCompatibleLanguageModel, type OpenAiCompatibleConfig } from './llm/openai-compatible';
import type { WhisperConfig } from './stt/whisper';
import { createElevenLabsTts, type ElevenLabsConfig } from './tts/elevenlabs';
import { createEspeakTts, type EspeakConfig } from './tts/espeak';
import type { KokoroConfig } from './tts/kokoro';
import type { SileroVadConfig } from './vad/silero';

/**
 * The one place that maps an engine's configured kind to the adapter that implements it. Adapters
 * never register themselves; adding one means adding a line here.
 * A configuration naming an unknown kind fails with a clear error and the role falls back.
 * Adapters with native parts (llama.cpp, whisper.cpp, ONNX Runtime) are imported when an engine first
 * needs one, so a command that loads no model (`parley --help`, `parley campaign list`) never pays for them.
 */

export type SttEngineConfig = { kind: 'whisper' } & WhisperConfig;
export type LlmEngineConfig =
  | ({ kind: 'llama-cpp' } & LlamaConfig)
  | ({ kind: 'openai-compatible' } & OpenAiCompatibleConfig)
  | ({ kind: 'anthropic' } & AnthropicConfig);
export type TtsEngineConfig = ({ kind: 'espeak' } & EspeakConfig) | ({ kind: 'kokoro' } & KokoroConfig) | ({ kind: 'elevenlabs' } & ElevenLabsConfig);
export type VadEngineConfig = ({ kind: 'silero' } & SileroVadConfig) | { kind: 'energy' };

/** Which engine each role uses; a missing role takes the engine's default (see VoiceRuntime). */
export interface VoiceEnginesConfig {
  stt?: SttEngineConfig;
  llm?: LlmEngineConfig;
  tts?: TtsEngineConfig;
  vad?: VadEngineConfig;
}

type Factories<C extends { kind: string }, P> = { [K in C['kind']]: (config: Extract<C, { kind: K }>) => Promise<P> };

const stt: Factories<SttEngineConfig, SpeechToText> = {
  whisper: async (config) => (await import('./stt/whisper')).createWhisperSpeechToText(config),
};

const llm: Factories<LlmEngineConfig, LanguageModel> = {
  'llama-cpp': async (config) => (await import('./llm/llama')).createLlamaLanguageModel(config) as Promise<LanguageModel>,
  'openai-compatible': (config) => createOpenAiCompatibleLanguageModel(config),
  anthropic: (config) => createAnthropicLanguageModel(config),
};

const tts: Factories<TtsEngineConfig, TextToSpeech> = {
  espeak: (config) => createEspeakTts(config),
  kokoro: async (config) => (await import('./tts/kokoro')).createKokoroTts(config),
  elevenlabs: (config) => createElevenLabsTts(config),
};

const vad: Factories<VadEngineConfig, VoiceActivityDetector> = {
  silero: async (config) => (await import('./vad/silero')).createSileroVad(config),
  energy: async () => new EnergyVad(),
};

export const registeredKinds = {
  stt: Object.keys(stt),
  llm: Object.keys(llm),
  tts: Object.keys(tts),
  vad: Object.keys(vad),
} as const;

function pick<C extends { kind: string }, P>(role: string, factories: Factories<C, P>, config: C): Promise<P> {
  const factory = (factories as unknown as Record<string, ((c: C) => Promise<P>) | undefined>)[config.kind];
  if (!factory) {
    const known = Object.keys(factories).join(', ');
    return Promise.reject(new Error(`Unknown ${role} engine "${config.kind}" (this build has: ${known})`));
  }
  return factory(config);
}

export const createSpeechToText = (config: SttEngineConfig) => pick('speech-to-text', stt, config);
export const createLanguageModel = (config: LlmEngineConfig) => pick('language model', llm, config);
export const createTextToSpeech = (config: TtsEngineConfig) => pick('text-to-speech', tts, config);
export const createVoiceActivityDetector = (config: VadEngineConfig) => pick('voice activity', vad, config);
