import { ParleyError } from '../../../contracts';
import type { Logger } from '../../logging';
import type { AudioChunk } from '../../ports/audio';
import type { SynthesizeOptions, TextToSpeech } from '../../ports/speech';
import { pcmFromBytes } from '../../audio';
import { HttpCall, joinUrl, type RequestGuard } from '../http/http-call';

export type ElevenLabsSampleRate = 16_000 | 22_050 | 24_000 | 44_100;

export interface ElevenLabsConfig {
  /** The office's provider row (`providers.id`) this engine serves, for costs and health. */
  providerId?: string;
  /** The provider's breaker: skips a provider that is down, retries once, honours 429s. */
  guard?: RequestGuard;
  apiKey: string;
  /** The campaign's voice (an ElevenLabs voice id). */
  voiceId: string;
  /** Low-latency model by default. */
  modelId?: string;
  baseUrl?: string;
  /** Raw PCM rate asked of the API; 16 kHz is plenty for phone lines. */
  sampleRate?: ElevenLabsSampleRate;
  /** Voice ids offered to campaigns (shown in the UI); the configured one is always included. */
  voices?: string[];
  /** Until the response headers arrive. */
  timeoutMs?: number;
  /** Between audio chunks. */
  idleTimeoutMs?: number;
  logger?: Logger;
}

const SERVICE = 'ElevenLabs';
const VOICE_ID = /^[A-Za-z0-9]{8,40}$/;

/** Joins byte chunks into whole PCM16 samples, carrying an odd trailing byte to the next chunk. */
export class Pcm16ByteJoiner {
  private carry: number | undefined;

  push(bytes: Uint8Array): Int16Array {
    let data = bytes;
    if (this.carry !== undefined) {
      data = new Uint8Array(bytes.length + 1);
      data[0] = this.carry;
      data.set(bytes, 1);
      this.carry = undefined;
    }
    if (data.length % 2 === 1) {
      this.carry = data[data.length - 1];
      data = data.subarray(0, data.length - 1);
    }
    return pcmFromBytes(data);
  }

  get pendingByte(): boolean {
    return this.carry !== undefined;
  }
}

/**
 * ElevenLabs text to speech over its HTTP streaming endpoint, asking for raw PCM so nothing has to
 * be decoded: audio is yielded chunk by chunk as it arrives.
 */
export async function createElevenLabsTts(config: ElevenLabsConfig): Promise<TextToSpeech> {
  if (!config.apiKey) throw new ParleyError('unavailable', 'No ElevenLabs API key is configured');
  if (!VOICE_ID.test(config.voiceId)) throw new ParleyError('invalid_payload', `"${config.voiceId}" is not an ElevenLabs voice id`);
  const sampleRate = config.sampleRate ?? 16_000;
  const baseUrl = config.baseUrl ?? 'https://api.elevenlabs.io';
  const timeoutMs = config.timeoutMs ?? 10_000;
  const idleTimeoutMs = config.idleTimeoutMs ?? 10_000;
  const voices = [...new Set([config.voiceId, ...(config.voices ?? [])])];
  let disposed = false;

  return {
    name: 'elevenlabs',
    providerId: config.providerId,
    capabilities: { sampleRate, voices, languages: ['multilingual'] },
    async *synthesize(text: string, options: { voice?: string; language?: string; signal?: AbortSignal; onUsage?: SynthesizeOptions['onUsage'] } = {}): AsyncGenerator<AudioChunk> {
      if (disposed) throw new ParleyError('unavailable', 'ElevenLabs has been shut down');
      const clean = text.trim();
      if (!clean || options.signal?.aborted) return;
      const voice = options.voice && VOICE_ID.test(options.voice) ? options.voice : config.voiceId;
      const url = `${joinUrl(baseUrl, `v1/text-to-speech/${voice}/stream`)}?output_format=pcm_${sampleRate}`;
      const body = JSON.stringify({ text: clean, model_id: config.modelId ?? 'eleven_flash_v2_5', ...(options.language ? { language_code: options.language.split('-')[0] } : {}) });
      const call = new HttpCall(SERVICE, options.signal);
      const joiner = new Pcm16ByteJoiner();
      let samples = 0;
      try {
        const response = await call.send(url, { headers: { 'content-type': 'application/json', 'xi-api-key': config.apiKey, accept: 'audio/pcm' }, body }, timeoutMs, config.guard);
        const type = response.headers.get('content-type') ?? '';
        if (type.includes('json') || type.includes('text/')) throw new ParleyError('unavailable', `${SERVICE} answered with ${type} instead of audio`);
        // Accepted: ElevenLabs bills the characters of the request, however much of it is played.
        options.onUsage?.({ characters: clean.length, providerId: config.providerId });
        for await (const bytes of call.chunks(response, idleTimeoutMs)) {
          const pcm = joiner.push(bytes);
          if (pcm.length === 0) continue;
          samples += pcm.length;
          yield { samples: pcm, sampleRate };
        }
      } catch (error) {
        if (call.cancelledByCaller) return;
        throw call.failure(error);
      } finally {
        call.finish();
      }
      if (call.cancelledByCaller) return;
      if (samples === 0) throw new ParleyError('unavailable', `${SERVICE} sent no audio`);
      if (joiner.pendingByte) config.logger?.warn('ElevenLabs audio ended on half a sample; dropped the odd byte');
    },
    async dispose() {
      disposed = true;
    },
  };
}
