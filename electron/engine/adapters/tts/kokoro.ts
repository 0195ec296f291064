import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KokoroTTS } from 'kokoro-js';
import * as ort from 'onnxruntime-node';
import { ParleyError } from '../../../contracts';
import type { Logger } from '../../logging';
import type { AudioChunk } from '../../ports/audio';
import type { SynthesizeOptions, TextToSpeech } from '../../ports/speech';
import { SentenceSplitter } from '../../voice/sentences';
import { checkModelFile, modelLoadError } from '../model-file';
import { SharedModels } from '../shared-models';
import { floatToPcm16 } from './pcm-convert';

export type KokoroDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

export interface KokoroConfig {
  /** The Kokoro-82M ONNX export as the model manager installs it: config.json, tokenizer files, onnx/. */
  modelDir: string;
  /** Which weights in onnx/ to use; by default the first present of q8, fp32, fp16, q4, q4f16. */
  dtype?: KokoroDtype;
  /** Voice when a call names none (voices ship inside kokoro-js). */
  voice?: string;
  speed?: number;
  logger?: Logger;
}

const WEIGHTS: Record<KokoroDtype, string> = {
  q8: 'model_quantized.onnx',
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
};
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const SAMPLE_RATE = 24_000;
const DEFAULT_VOICE = 'af_heart';

const sharedModels = new SharedModels<KokoroTTS>(async (tts) => {
  await tts.model.dispose();
});

async function chooseWeights(modelDir: string, dtype: KokoroDtype | undefined): Promise<KokoroDtype> {
  let info;
  try {
    info = await stat(modelDir);
  } catch {
    throw new ParleyError('unavailable', `Kokoro model folder not found: ${modelDir}`);
  }
  if (!info.isDirectory()) throw new ParleyError('invalid_payload', `Kokoro model path is not a folder: ${modelDir}`);
  const missing = REQUIRED_FILES.filter((file) => !existsSync(join(modelDir, file)));
  if (missing.length > 0) throw new ParleyError('invalid_payload', `Kokoro model folder is incomplete (missing ${missing.join(', ')}): ${modelDir}`);
  const candidates = dtype ? [dtype] : (Object.keys(WEIGHTS) as KokoroDtype[]);
  const found = candidates.find((candidate) => existsSync(join(modelDir, 'onnx', WEIGHTS[candidate])));
  if (!found) throw new ParleyError('invalid_payload', `Kokoro model folder has no ${dtype ? WEIGHTS[dtype] : 'onnx/model*.onnx'} weights: ${modelDir}`);
  await checkModelFile(join(modelDir, 'onnx', WEIGHTS[found]), { what: 'Kokoro ONNX model', minBytes: 1024 * 1024 });
  return found;
}

/**
 * Opens the weights with onnxruntime first. transformers.js remembers its first session attempt
 * for the life of the process, so a corrupt file loaded through it would make every later Kokoro
 * load fail too, even after the file is fixed.
 */
async function checkGraphLoads(modelDir: string, dtype: KokoroDtype): Promise<void> {
  const path = join(modelDir, 'onnx', WEIGHTS[dtype]);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path);
  } catch (error) {
    throw modelLoadError('Kokoro model', path, error);
  }
  await session.release();
}

async function loadKokoro(modelDir: string, dtype: KokoroDtype): Promise<KokoroTTS> {
  await checkGraphLoads(modelDir, dtype);
  // Loaded only when a Kokoro voice is used: transformers.js pulls in sharp's libvips and more, which
  // every engine process (and every CLI command) would otherwise load at start for nothing.
  const [{ env: transformersEnv }, { KokoroTTS }] = await Promise.all([import('@huggingface/transformers'), import('kokoro-js')]);
  // Models come from the model manager's folder, never from a hub at run time.
  transformersEnv.allowRemoteModels = false;
  transformersEnv.allowLocalModels = true;
  try {
    return await KokoroTTS.from_pretrained(modelDir, { dtype, device: 'cpu' });
  } catch (error) {
    throw modelLoadError('Kokoro model', modelDir, error);
  }
}

/** Cuts text into the clauses synthesized one by one: the first as soon as it has a few words. */
export function kokoroClauses(text: string): string[] {
  const splitter = new SentenceSplitter();
  return [...splitter.push(`${text} `), ...splitter.flush()];
}

/**
 * Kokoro-82M through kokoro-js on onnxruntime-node. The model loads once per process; text is
 * synthesized clause by clause, so the first audio is ready after the first clause, not the
 * whole reply.
 */
export async function createKokoroTts(config: KokoroConfig): Promise<TextToSpeech> {
  const dtype = await chooseWeights(config.modelDir, config.dtype);
  const { value: tts, release } = await sharedModels.acquire(`${config.modelDir}|${dtype}`, () => loadKokoro(config.modelDir, dtype));
  const voices = Object.keys(tts.voices);
  const defaultVoice = config.voice && voices.includes(config.voice) ? config.voice : DEFAULT_VOICE;
  if (config.voice && config.voice !== defaultVoice) config.logger?.warn({ voice: config.voice }, `Kokoro has no voice "${config.voice}"; using ${defaultVoice}`);
  let disposed = false;

  return {
    name: 'kokoro',
    capabilities: { sampleRate: SAMPLE_RATE, voices, languages: ['en-us', 'en-gb'] },
    async *synthesize(text: string, options: SynthesizeOptions = {}): AsyncGenerator<AudioChunk> {
      if (disposed) throw new ParleyError('unavailable', 'Kokoro has been shut down');
      const signal = options.signal;
      // A voice the model lacks must not silence a live call: the default voice speaks instead.
      const voice = options.voice && voices.includes(options.voice) ? options.voice : defaultVoice;
      if (options.voice && voice !== options.voice) config.logger?.warn({ voice: options.voice }, 'unknown Kokoro voice; using the default');
      for (const clause of kokoroClauses(text)) {
        if (signal?.aborted) return;
        let audio: Awaited<ReturnType<KokoroTTS['generate']>>;
        try {
          audio = await tts.generate(clause, { voice: voice as never, speed: (config.speed ?? 1) * (options.style?.rate ?? 1) });
        } catch (error) {
          if (signal?.aborted) return;
          throw new ParleyError('unavailable', `Kokoro could not speak "${clause.slice(0, 40)}": ${error instanceof Error ? error.message : String(error)}`);
        }
        if (signal?.aborted) return;
        yield { samples: floatToPcm16(audio.audio), sampleRate: audio.sampling_rate };
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await release();
    },
  };
}
