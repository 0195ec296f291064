import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstalledModel, LoadCheck } from '../../contracts';

/**
 * Opens an installed model with the engine that will run it and closes it again: proof that the
 * files are not just the right bytes but load here (native binding, CPU features, memory).
 * Native modules are imported on demand so the engine starts without them.
 */
export async function verifyLoad(model: InstalledModel): Promise<LoadCheck> {
  const started = performance.now();
  const result = (ok: boolean, detail: string): LoadCheck => ({
    modelId: model.id,
    ok,
    engine: model.engine,
    detail,
    loadMs: Math.round(performance.now() - started),
  });
  try {
    switch (model.engine) {
      case 'node-llama-cpp':
        return result(true, await loadGguf(model.primaryPath));
      case 'whisper.cpp':
        return result(true, await loadWhisper(model.primaryPath, model.role === 'vad'));
      case 'onnxruntime':
        return result(true, await loadOnnx(model.primaryPath));
      case 'kokoro-js':
        return result(true, await loadKokoroFolder(model));
    }
  } catch (error) {
    return result(false, `${model.name} did not load: ${(error as Error)?.message ?? String(error)}`);
  }
}

async function loadGguf(path: string): Promise<string> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  // CPU only and two threads: a load check must not compete with live calls for the GPU or every core.
  const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, logLevel: LlamaLogLevel.error, maxThreads: 2 });
  try {
    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    try {
      const context = await model.createContext({ contextSize: 256, threads: 2 });
      const tokens = model.tokenize('Hello');
      await context.dispose();
      return `GGUF loaded (train context ${model.trainContextSize} tokens, ${tokens.length} token${tokens.length === 1 ? '' : 's'} for "Hello")`;
    } finally {
      await model.dispose();
    }
  } finally {
    await llama.dispose();
  }
}

async function loadWhisper(path: string, vad: boolean): Promise<string> {
  const whisper = await import('@fugood/whisper.node');
  if (vad) {
    const context = await whisper.initWhisperVad({ filePath: path, useGpu: false, nThreads: 2 });
    await context.release();
    return 'whisper.cpp VAD model loaded';
  }
  const context = await whisper.initWhisper({ filePath: path, useGpu: false });
  await context.release();
  return 'whisper.cpp model loaded';
}

async function loadOnnx(path: string): Promise<string> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: 2 });
  try {
    return `ONNX model loaded (inputs: ${session.inputNames.join(', ')}; outputs: ${session.outputNames.join(', ')})`;
  } finally {
    await session.release();
  }
}

/** kokoro-js reads the folder (config, tokenizer, onnx/); check the JSON parses and the ONNX graph loads. */
async function loadKokoroFolder(model: InstalledModel): Promise<string> {
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    JSON.parse(await readFile(join(model.dir, name), 'utf8'));
  }
  return `Kokoro folder complete; ${await loadOnnx(model.primaryPath)}`;
}
