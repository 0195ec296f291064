import { z } from 'zod';

/**
 * Providers: the engines an office can choose per role. A local model from the model manager, an
 * OpenAI-compatible endpoint (OpenAI, Ollama, LM Studio, vLLM, any base URL), Anthropic, ElevenLabs.
 * Keys are write-only here: they go to the secret store and a provider only says whether it has one.
 * Prices are what the office pays, in US dollars; a local model costs nothing unless an energy cost is set.
 */

/** What a provider does on a call: recognise speech, converse, speak, or analyse finished calls. */
export const ProviderRole = z.enum(['stt', 'llm', 'tts', 'analysis']);
export type ProviderRole = z.infer<typeof ProviderRole>;

export const ProviderKind = z.enum(['local', 'openai-compatible', 'anthropic', 'elevenlabs']);
export type ProviderKind = z.infer<typeof ProviderKind>;

const Usd = z.number().min(0).max(1_000_000);

/** Prices per unit of use, USD. Absent fields cost nothing. */
export const ProviderPrices = z
  .object({
    /** Language models: per million input (prompt) tokens and per million output tokens. */
    inputPerMillionTokens: Usd.optional(),
    outputPerMillionTokens: Usd.optional(),
    /** Speech to text: per minute of caller audio recognised. */
    perAudioMinute: Usd.optional(),
    /** Voices: per million characters spoken. */
    perMillionCharacters: Usd.optional(),
    /** Local models: energy and hardware, per hour of call time the model serves. */
    perCallHour: Usd.optional(),
  })
  .strict();
export type ProviderPrices = z.infer<typeof ProviderPrices>;

/** The unit a usage record counts. */
export const UsageUnit = z.enum(['input-tokens', 'output-tokens', 'audio-seconds', 'characters', 'line-seconds', 'call-seconds']);
export type UsageUnit = z.infer<typeof UsageUnit>;
