import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLlamaLanguageModel } from '../../engine/adapters/llm/llama';
import { createWhisperSpeechToText } from '../../engine/adapters/stt/whisper';
import { createKokoroTts } from '../../engine/adapters/tts/kokoro';
import { createSileroVad, SILERO_FRAME_SAMPLES } from '../../engine/adapters/vad/silero';
import { physicalCoreCount } from '../../engine/adapters/hardware';
import { decodeWav } from '../../engine/audio';
import type { Benchmark } from './index';

/**
 * The model adapters on their own: load times and per-stage latency of Silero VAD, whisper STT,
 * the llama LLM (first token, tokens per second, KV reuse across turns) and Kokoro TTS, on the
 * models found in the shared fixtures folder (run from the repository root, as `npm run bench` does).
 */

const STT_RUNS = 3;
const LLM_TURNS = 12;
const LLM_CONCURRENT = 3;

type Stats = { runs: number; p50Ms: number; p95Ms: number };

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return { runs: samples.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)) };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

async function benchVad(speech: Int16Array, log: (line: string) => void) {
  const [vad, loadMs] = await timed(() => createSileroVad());
  try {
    const stream = vad.createStream();
    const frames: number[] = [];
    const started = performance.now();
    for (let offset = 0; offset + SILERO_FRAME_SAMPLES <= speech.length; offset += SILERO_FRAME_SAMPLES) {
      const [, ms] = await timed(() => stream.process(speech.subarray(offset, offset + SILERO_FRAME_SAMPLES)));
      frames.push(ms);
    }
    const audioMs = (speech.length / 16_000) * 1000;
    const result = { loadMs: round(loadMs), perFrame: stats(frames), realTimeFactor: round((performance.now() - started) / audioMs, 4) };
    log(`vad: Silero frame p50 ${result.perFrame.p50Ms} ms, p95 ${result.perFrame.p95Ms} ms, real-time factor ${result.realTimeFactor}`);
    return result;
  } finally {
    await vad.dispose();
  }
}

async function benchStt(modelPath: string, speech: Int16Array, threads: number, log: (line: string) => void) {
  const [stt, loadMs] = await timed(() => createWhisperSpeechToText({ modelPath, threads, gpu: 'auto' }));
  try {
    const utterance = speech.subarray(0, 16_000 * 3);
    const runs: number[] = [];
    for (let i = 0; i < STT_RUNS; i++) runs.push((await timed(() => stt.transcribe(utterance)))[1]);
    const result = { model: modelPath.split(/[\\/]/).pop(), gpu: stt.capabilities.gpu, loadMs: round(loadMs), utteranceMs: 3_000, transcribe: stats(runs) };
    log(`stt: whisper load ${result.loadMs} ms, 3 s utterance p50 ${result.transcribe.p50Ms} ms, p95 ${result.transcribe.p95Ms} ms`);
    return result;
  } finally {
    await stt.dispose();
  }
}

const CALLER_LINES = ['Hello, who is this?', 'Oh right, the bike shop.', 'I might be interested.', 'What does it cost?', 'Can you call me back next week?', 'Thanks, bye.'];

async function benchLlm(modelPath: string, threads: number, log: (line: string) => void) {
  const [llm, loadMs] = await timed(() => createLlamaLanguageModel({ modelPath, threads, gpu: 'auto', contextSize: 2048, maxConversations: LLM_CONCURRENT, maxReplyTokens: 32 }));
  try {
    const systemPrompt = 'You are Ava from Bright Bikes, calling Sam Lee (customer since 2021, last bought a city bike) about the spring service offer. Be brief and friendly.';
    const [conversation, preloadMs] = await timed(() => llm.startConversation({ systemPrompt }));
    const firstToken: number[] = [];
    const reuse: number[] = [];
    let tokens = 0;
    let generatingMs = 0;
    for (let turn = 0; turn < LLM_TURNS; turn++) {
      const before = conversation.usage;
      const started = performance.now();
      let first = 0;
      for await (const chunk of conversation.reply({ user: CALLER_LINES[turn % CALLER_LINES.length] })) {
        if (chunk.type === 'text' && first === 0) first = performance.now() - started;
      }
      generatingMs += performance.now() - started;
      const after = conversation.usage;
      firstToken.push(first);
      tokens += after.outputTokens - before.outputTokens;
      // Share of the context that did not have to be evaluated again this turn.
      reuse.push(1 - (after.inputTokensEvaluated - before.inputTokensEvaluated) / Math.max(1, after.contextTokens));
    }
    await conversation.dispose();

    const concurrent = await Promise.all(Array.from({ length: LLM_CONCURRENT }, () => llm.startConversation({ systemPrompt })));
    const [firsts] = await timed(() =>
      Promise.all(
        concurrent.map(async (c) => {
          const started = performance.now();
          let first = 0;
          for await (const chunk of c.reply({ user: 'Hello?' })) if (chunk.type === 'text' && first === 0) first = performance.now() - started;
          return first;
        }),
      ),
    );
    await Promise.all(concurrent.map((c) => c.dispose()));

    const result = {
      model: modelPath.split(/[\\/]/).pop(),
      gpu: llm.capabilities.gpu,
      threads,
      loadMs: round(loadMs),
      systemPromptPreloadMs: round(preloadMs),
      firstToken: stats(firstToken),
      tokensPerSecond: round((tokens / generatingMs) * 1000, 1),
      kvReuseMean: round(reuse.reduce((a, b) => a + b, 0) / reuse.length, 3),
      concurrentFirstToken: { calls: LLM_CONCURRENT, ...stats(firsts) },
    };
    log(`llm: first token p50 ${result.firstToken.p50Ms} ms, p95 ${result.firstToken.p95Ms} ms, ${result.tokensPerSecond} tokens/s, KV reuse ${result.kvReuseMean}`);
    return result;
  } finally {
    await llm.dispose();
  }
}

async function benchKokoro(modelDir: string, log: (line: string) => void) {
  if (!existsSync(join(modelDir, 'config.json'))) return { notRun: `no Kokoro model in fixtures (${modelDir})` };
  const [tts, loadMs] = await timed(() => createKokoroTts({ modelDir }));
  try {
    const firstChunk: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      for await (const _chunk of tts.synthesize('Hi Sam, this is Ava from Bright Bikes.')) {
        firstChunk.push(performance.now() - started);
        break;
      }
    }
    const result = { loadMs: round(loadMs), firstChunk: stats(firstChunk) };
    log(`tts: Kokoro first chunk p50 ${result.firstChunk.p50Ms} ms`);
    return result;
  } finally {
    await tts.dispose();
  }
}

export const benchmark: Benchmark = {
  description: 'model adapters on the fixture models: VAD, STT, LLM first token and KV reuse, Kokoro',
  async run({ log }) {
    const fixtures = resolve(process.cwd(), '../shared/fixtures');
    const path = (relative: string) => join(fixtures, relative);
    const jfk = path('audio/jfk.wav');
    if (!existsSync(jfk)) throw new Error(`Fixtures not found at ${fixtures}: run the benchmark from the repository root`);
    const speech = decodeWav(readFileSync(jfk)).samples;
    const threads = await physicalCoreCount();
    const rssBefore = rssMb();
    const vad = await benchVad(speech, log);
    const whisperModel = path('models/for-tests-ggml-tiny.en.bin');
    const stt = existsSync(whisperModel) ? await benchStt(whisperModel, speech, threads, log) : { notRun: 'no whisper model in fixtures' };
    const llamaModel = path('models/llama-2-tiny-random.gguf');
    const llm = existsSync(llamaModel) ? await benchLlm(llamaModel, threads, log) : { notRun: 'no GGUF model in fixtures' };
    const tts = await benchKokoro(path('models/kokoro-82m-v1.0'), log);
    return {
      note: 'fixture models: whisper has no trained weights and the GGUF is random, so these figures measure the adapters and runtimes, not production models',
      physicalCores: threads,
      vad,
      stt,
      llm,
      tts,
      stages: {
        vadFrame: 'perFrame' in vad ? vad.perFrame : null,
        stt: 'transcribe' in stt ? stt.transcribe : null,
        llmFirstToken: 'firstToken' in llm ? llm.firstToken : null,
        ttsFirstChunk: 'firstChunk' in tts ? tts.firstChunk : null,
      },
      rssGrowthMb: round(rssMb() - rssBefore, 1),
    };
  },
};
