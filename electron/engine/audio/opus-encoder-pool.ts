import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Input rates libopus takes as they are; anything else is resampled to 16 kHz first. */
export const OPUS_INPUT_RATES = [8_000, 12_000, 16_000, 24_000, 48_000] as const;

/**
 * The encoder thread, as CommonJS evaluated in the worker (inline, so it runs alike from sources and
 * from either bundle). libopus is opusscript's WASM build. Each stream keeps its own encoder; a
 * batch is a run of whole 20 ms interleaved frames, answered in order with one packet per frame and
 * the thread time it took.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const OpusScript = require(workerData.library);
const streams = new Map();
parentPort.on('message', (m) => {
  try {
    if (m.type === 'open') {
      const enc = new OpusScript(m.rate, m.channels, OpusScript.Application.VOIP);
      enc.setBitrate(m.bitrate);
      streams.set(m.stream, { enc, rate: m.rate, channels: m.channels });
      return;
    }
    const s = streams.get(m.stream);
    if (m.type === 'close') {
      if (s) { s.enc.delete(); streams.delete(m.stream); }
      return;
    }
    if (!s) { parentPort.postMessage({ stream: m.stream, batch: m.batch, error: 'unknown stream' }); return; }
    const started = process.hrtime.bigint();
    const frame = s.rate / 50;
    const pcm = Buffer.from(m.pcm.buffer, m.pcm.byteOffset, m.pcm.byteLength);
    const step = frame * s.channels * 2;
    const packets = [];
    for (let at = 0; at + step <= pcm.length; at += step) packets.push(Uint8Array.from(s.enc.encode(pcm.subarray(at, at + step), frame)));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    parentPort.postMessage({ stream: m.stream, batch: m.batch, packets, ms });
  } catch (e) {
    parentPort.postMessage({ stream: m.stream, batch: m.batch, error: String(e && e.message || e) });
  }
});
`;

interface Reply {
  stream: number;
  batch: number;
  packets?: Uint8Array[];
  ms?: number;
  error?: string;
}

/** One stream's encoder on the shared thread: batches go in, packets come back in order. */
export interface OpusEncoderStream {
  readonly sampleRate: number;
  readonly channels: number;
  /** Whole 20 ms frames, interleaved; resolves with one packet per frame. */
  encode(pcm: Int16Array): Promise<Uint8Array[]>;
  close(): void;
}

/**
 * One worker thread that encodes every call's recording, so Opus never runs on the thread that
 * paces live audio. `busyMs` adds up the thread's encoding time (the cost a benchmark reports).
 */
export class OpusEncoderPool {
  private worker: Worker | undefined;
  private failure: Error | undefined;
  private readonly pending = new Map<string, { resolve: (p: Uint8Array[]) => void; reject: (e: Error) => void }>();
  private nextStream = 1;
  private nextBatch = 1;
  busyMs = 0;

  private start(): Worker {
    if (this.failure) throw this.failure;
    if (this.worker) return this.worker;
    const library = createRequire(import.meta.url).resolve('opusscript');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { library } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const key = `${reply.stream}:${reply.batch}`;
      const job = this.pending.get(key);
      if (!job) return;
      this.pending.delete(key);
      if (reply.error !== undefined) job.reject(new Error(`Opus encoder: ${reply.error}`));
      else {
        this.busyMs += reply.ms ?? 0;
        job.resolve(reply.packets ?? []);
      }
    });
    const fail = (error: Error) => {
      this.failure = error;
      this.worker = undefined;
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => fail(new Error(`the encoder thread stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** A new encoder at `sampleRate` (one of OPUS_INPUT_RATES); `bitrate` in bits per second. */
  open(sampleRate: number, channels: 1 | 2, bitrate: number): OpusEncoderStream {
    if (!(OPUS_INPUT_RATES as readonly number[]).includes(sampleRate)) throw new RangeError(`Opus cannot encode ${sampleRate} Hz directly`);
    const worker = this.start();
    const stream = this.nextStream++;
    worker.postMessage({ type: 'open', stream, rate: sampleRate, channels, bitrate });
    return {
      sampleRate,
      channels,
      encode: (pcm) => {
        const current = this.start();
        const batch = this.nextBatch++;
        return new Promise<Uint8Array[]>((resolve, reject) => {
          this.pending.set(`${stream}:${batch}`, { resolve, reject });
          current.postMessage({ type: 'encode', stream, batch, pcm }, [pcm.buffer as ArrayBuffer]);
        });
      },
      close: () => this.worker?.postMessage({ type: 'close', stream }),
    };
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failure = new Error('the encoder has been shut down');
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
    for (const job of this.pending.values()) job.reject(this.failure);
    this.pending.clear();
  }
}
