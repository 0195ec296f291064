import { addNativeLogListener, initWhisper, toggleNativeLog, type LibVariant, type WhisperContext } from '@fugood/whisper.node';
import { ParleyError } from '../../../contracts';
import type { Logger } from '../../logging';
import { MODEL_SAMPLE_RATE } from '../../ports/audio';
import type { SpeechToText } from '../../ports/speech';
import { resample } from '../../audio';
import { physicalCoreCount, probeHardware } from '../hardware';
import { checkModelFile, modelLoadError } from '../model-file';
import { SharedModels } from '../shared-models';
import { abortError } from '../abort';
import { inspectWhisperModel } from './whisper-model-file';

export interface WhisperConfig {
  /** A whisper.cpp ggml model (`ggml-*.bin`). */
  modelPath: string;
  /** CPU threads per transcription; defaults to the physical core count. */
  threads?: number;
  /** 'auto' picks an installed CUDA or Vulkan build when its drivers are present; false keeps to the CPU. */
  gpu?: 'auto' | false | 'cuda' | 'vulkan';
  /** Default language ('en', 'de', ... or 'auto'); a call may override it. */
  language?: string;
  /** Upper bound on one transcription, after which the call gets an error instead of waiting forever. */
  timeoutMs?: number;
  logger?: Logger;
}

export interface WhisperTranscribeOptions {
  language?: string;
  signal?: AbortSignal;
  /** Where the audio sits in the call (the pipeline passes it; whisper does not need it). */
  segment?: { startMs: number; endMs: number };
  /** Rate of `audio` when it is not 16 kHz: 8/24/48 kHz are converted, anything else is refused. */
  sampleRate?: number;
}

const WHISPER_MAGIC = 'lmgg'; // 0x67676d6c little-endian
const CONVERTIBLE_RATES = new Set([8_000, 16_000, 24_000, 48_000]);
/** 1.1 s at 16 kHz: whisper.cpp skips anything shorter than one second. */
export const MIN_INPUT_SAMPLES = 17_600;

interface LoadedWhisper {
  context: WhisperContext;
  englishOnly: boolean;
  gpu: boolean;
}

const sharedContexts = new SharedModels<LoadedWhisper>((loaded) => loaded.context.release());

/** Route whisper.cpp's native log lines to whoever listens (they go to stderr otherwise). */
let nativeLogRouted = false;
async function routeNativeLog(): Promise<void> {
  if (nativeLogRouted) return;
  nativeLogRouted = true;
  await toggleNativeLog(true);
}

async function chooseVariant(gpu: WhisperConfig['gpu']): Promise<{ variant: LibVariant; useGpu: boolean }> {
  const appleSilicon = process.platform === 'darwin' && process.arch === 'arm64';
  if (gpu === false) return { variant: 'default', useGpu: false };
  if (gpu === 'cuda' || gpu === 'vulkan') return { variant: gpu, useGpu: true };
  const probe = await probeHardware();
  if (appleSilicon) return { variant: 'default', useGpu: true };
  if (probe.whisperBuilds.includes('cuda') && probe.llamaGpuTypes.includes('cuda')) return { variant: 'cuda', useGpu: true };
  if (probe.whisperBuilds.includes('vulkan') && probe.llamaGpuTypes.includes('vulkan')) return { variant: 'vulkan', useGpu: true };
  return { variant: 'default', useGpu: false };
}

async function loadWhisper(config: WhisperConfig): Promise<LoadedWhisper> {
  await checkModelFile(config.modelPath, { what: 'Whisper model', magic: WHISPER_MAGIC, minBytes: 64 });
  const info = await inspectWhisperModel(config.modelPath);
  if (info.tensors === 0) config.logger?.warn({ modelPath: config.modelPath }, 'Whisper model has no weights (a test model): transcripts will be empty');
  const { variant, useGpu } = await chooseVariant(config.gpu ?? 'auto');
  await routeNativeLog();
  try {
    const context = await initWhisper({ filePath: config.modelPath, useGpu }, variant);
    return { context, englishOnly: info.englishOnly, gpu: useGpu };
  } catch (error) {
    throw modelLoadError('Whisper model', config.modelPath, error);
  }
}

/** Whisper marks non-speech as "[BLANK_AUDIO]", "(music)" and the like; callers want the words only. */
export function cleanTranscript(text: string): string {
  return text
    .replace(/\[[^\]]*\]|\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Prepares caller audio for whisper: 16 kHz PCM16 as its own ArrayBuffer. */
export function toWhisperInput(audio: Int16Array, sampleRate: number = MODEL_SAMPLE_RATE): ArrayBuffer {
  if (!(audio instanceof Int16Array)) throw new ParleyError('invalid_payload', 'Whisper expects PCM16 samples (Int16Array)');
  if (!CONVERTIBLE_RATES.has(sampleRate)) {
    throw new ParleyError('invalid_payload', `Whisper expects 16 kHz audio; ${sampleRate} Hz cannot be converted (use 8, 16, 24 or 48 kHz)`);
  }
  const pcm = sampleRate === MODEL_SAMPLE_RATE ? audio : resample(audio, sampleRate, MODEL_SAMPLE_RATE);
  // whisper.cpp returns nothing for input under one second, which would drop a short "yes" or
  // "no" (and the pipeline's quick barge-in checks): pad such clips with trailing silence.
  const padded = new Int16Array(pcm.length > 0 ? Math.max(pcm.length, MIN_INPUT_SAMPLES) : 0);
  padded.set(pcm);
  return padded.buffer;
}

/**
 * Speech to text with whisper.cpp in-process (@fugood/whisper.node). The model loads once per
 * process and is shared; transcriptions run one at a time per model, in arrival order, because
 * whisper.cpp's context serves one at a time anyway and queued native jobs would hold libuv threads.
 */
export async function createWhisperSpeechToText(config: WhisperConfig): Promise<SpeechToText> {
  const threads = config.threads ?? (await physicalCoreCount());
  const timeoutMs = config.timeoutMs ?? 120_000;
  const key = `${config.modelPath}|${String(config.gpu ?? 'auto')}`;
  const { value: loaded, release } = await sharedContexts.acquire(key, () => loadWhisper(config));
  const logs = addNativeLogListener((level, text) => {
    if (level === 'error' || level === 'warn') config.logger?.warn({ whisper: text.trim() }, 'whisper native log');
  });
  let tail: Promise<void> = Promise.resolve();
  let disposed = false;

  const runNative = async (input: ArrayBuffer, language: string): Promise<string> => {
    const job = loaded.context.transcribeData(input, { language, maxThreads: threads, temperature: 0 });
    // The binding never settles a job that fails natively (its error callback gets one argument),
    // so a watchdog bounds the wait rather than leaving the call hanging.
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ParleyError('unavailable', `Whisper did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([job.promise, watchdog]);
      return result.result;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    name: 'whisper',
    capabilities: { languages: loaded.englishOnly ? ['en'] : 'multilingual', gpu: loaded.gpu },
    transcribe(audio: Int16Array, options: WhisperTranscribeOptions = {}) {
      if (disposed) return Promise.reject(new ParleyError('unavailable', 'Speech to text has been shut down'));
      let input: ArrayBuffer;
      try {
        input = toWhisperInput(audio, options.sampleRate);
      } catch (error) {
        return Promise.reject(error);
      }
      const language = options.language ?? config.language ?? (loaded.englishOnly ? 'en' : 'auto');
      if (loaded.englishOnly && language !== 'en' && language !== 'auto') {
        return Promise.reject(new ParleyError('invalid_payload', `This Whisper model is English-only; it cannot transcribe "${language}"`));
      }
      const signal = options.signal;
      if (signal?.aborted) return Promise.reject(abortError(signal));
      if (input.byteLength === 0) return Promise.resolve({ text: '', language });

      return new Promise((resolve, reject) => {
        let settled = false;
        const settle = (action: () => void) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          action();
        };
        // An abandoned job still finishes natively (whisper.cpp has no abort hook here); the caller
        // is released at once and the queue moves on when the native work is done.
        const onAbort = () => settle(() => reject(abortError(signal!)));
        signal?.addEventListener('abort', onAbort, { once: true });
        const run = async () => {
          if (settled) return;
          try {
            const raw = await runNative(input, language);
            settle(() => resolve({ text: cleanTranscript(raw), language }));
          } catch (error) {
            const wrapped = error instanceof ParleyError ? error : new ParleyError('unavailable', `Whisper failed: ${error instanceof Error ? error.message : String(error)}`);
            config.logger?.error({ err: wrapped }, 'transcription failed');
            settle(() => reject(wrapped));
          }
        };
        tail = tail.then(run);
      });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await tail;
      logs.remove();
      await release();
    },
  };
}
