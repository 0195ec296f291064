import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { decodeWav } from '../../audio/wav';
import type { AudioChunk } from '../../ports/audio';
import type { SynthesizeOptions, TextToSpeech, TextToSpeechCapabilities } from '../../ports/speech';
import { espeakArguments, resolveEspeakVoice, type EspeakConfig } from './espeak-args';

/**
 * The thread's code (CommonJS, evaluated inline so it runs alike from sources and bundles): each job
 * runs the espeak-ng command line compiled to WebAssembly (the `espeak-ng` npm package) once, with the
 * text in a file of its own virtual file system, and sends back the WAV it wrote. Instantiating the
 * module takes ~100 ms of CPU, which is why it never runs on the engine's event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const loading = import(pathToFileURL(workerData.entry).href).then((m) => m.default);
parentPort.on('message', async (job) => {
  try {
    const ESpeakNg = await loading;
    const out = [];
    const espeak = await ESpeakNg({
      arguments: job.args,
      preRun: [(module) => { if (job.text !== undefined) module.FS.writeFile('/in.txt', job.text); }],
      print: (line) => out.push(line),
      printErr: (line) => out.push(line),
    });
    const wav = job.text !== undefined ? espeak.FS.readFile('/out.wav') : undefined;
    parentPort.postMessage({ id: job.id, wav, stdout: out.join('\\n') }, wav ? [wav.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String(error && error.message ? error.message : error) });
  }
});
`;

interface Job {
  id: number;
  args: string[];
  text?: string;
}

interface Pending {
  resolve: (answer: { wav?: Uint8Array; stdout: string }) => void;
  reject: (error: Error) => void;
}

/** A small pool of espeak-ng WebAssembly threads; jobs queue for a free one. */
class EspeakWasmPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ job: Job; pending: Pending }> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(size: number) {
    const entry = createRequire(import.meta.url).resolve('espeak-ng');
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry } });
      worker.unref();
      worker.on('message', (message: { id: number; wav?: Uint8Array; stdout?: string; error?: string }) => {
        const job = this.pending.get(message.id);
        this.pending.delete(message.id);
        this.release(worker);
        if (!job) return;
        if (message.error !== undefined) job.reject(new Error(`espeak-ng (WebAssembly): ${message.error}`));
        else job.resolve({ wav: message.wav, stdout: message.stdout ?? '' });
      });
      worker.on('error', (error) => {
        for (const job of this.pending.values()) job.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  run(args: string[], text?: string): Promise<{ wav?: Uint8Array; stdout: string }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, args, text }, pending: { resolve, reject } });
      this.pump();
    });
  }

  async dispose(): Promise<void> {
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error('espeak-ng was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.pump();
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const { job, pending } = this.queue.shift()!;
      this.pending.set(job.id, pending);
      worker.postMessage(job);
    }
  }
}

/** A chunk of 100 ms, so the voice streams like the others. */
const CHUNK_MS = 100;

/**
 * espeak-ng without a system install: the same synthesizer compiled to WebAssembly and shipped in the
 * npm package, run on worker threads. The fallback voice and the simulated callers' voice then work on
 * every platform; the system binary stays the faster path where it is installed (`createEspeakTts`).
 */
export class EspeakWasmTts implements TextToSpeech {
  readonly name = 'espeak-ng (built in)';
  readonly capabilities: TextToSpeechCapabilities;

  private constructor(
    private readonly pool: EspeakWasmPool,
    private readonly voices: Set<string>,
    private readonly config: EspeakConfig,
  ) {
    const list = [...voices].sort();
    this.capabilities = { sampleRate: 22_050, voices: list, languages: [...new Set(list.map((v) => v.split('-')[0]!))] };
  }

  static async create(config: EspeakConfig = {}, threads = 2): Promise<EspeakWasmTts> {
    const pool = new EspeakWasmPool(threads);
    try {
      const { stdout } = await pool.run(['--voices']);
      const voices = new Set<string>();
      for (const line of stdout.split('\n').slice(1)) {
        const language = line.trim().split(/\s+/)[1];
        if (language) voices.add(language.toLowerCase());
      }
      if (voices.size === 0) throw new Error('espeak-ng (WebAssembly) lists no voices');
      return new EspeakWasmTts(pool, voices, config);
    } catch (error) {
      await pool.dispose();
      throw error;
    }
  }

  async *synthesize(text: string, options: SynthesizeOptions = {}): AsyncIterable<AudioChunk> {
    const clean = Array.from(text, (ch) => (ch.charCodeAt(0) < 0x20 ? ' ' : ch)).join('').trim();
    if (!clean || options.signal?.aborted) return;
    const voice = resolveEspeakVoice(this.voices, this.config, options.voice, options.language);
    const args = [...espeakArguments(this.config, voice, options.style), '-f', '/in.txt', '-w', '/out.wav'];
    const { wav } = await this.pool.run(args, clean);
    if (options.signal?.aborted) return;
    if (!wav || wav.length <= 44) throw new Error('espeak-ng (WebAssembly) produced no audio');
    const { samples, sampleRate } = decodeWav(wav);
    const step = Math.round((sampleRate * CHUNK_MS) / 1000);
    for (let at = 0; at < samples.length; at += step) {
      if (options.signal?.aborted) return;
      yield { samples: samples.subarray(at, at + step), sampleRate };
    }
  }

  dispose(): Promise<void> {
    return this.pool.dispose();
  }
}
