import { getLlama, LlamaLogLevel, type Llama, type LlamaModel } from 'node-llama-cpp';
import type { Logger } from '../../logging';
import { checkModelFile, modelLoadError } from '../model-file';
import { SharedModels } from '../shared-models';

export type LlamaGpuSetting = 'auto' | false | 'cuda' | 'vulkan' | 'metal';

/**
 * One node-llama-cpp runtime per process, created on first use and disposed when the last model
 * using it is released (so it goes away with the engine that loaded it). Native log lines go to
 * every logger of a live holder.
 */
const logSinks = new Set<Logger>();

const runtime = new SharedModels<Llama>((llama) => llama.dispose());

export async function acquireLlama(options: { gpu: LlamaGpuSetting; threads: number; logger?: Logger }): Promise<{ llama: Llama; release: () => Promise<void> }> {
  const { value, release } = await runtime.acquire('llama', () =>
    getLlama({
      gpu: options.gpu,
      build: 'never', // prebuilt binaries only: never compile on a user's machine
      skipDownload: true,
      progressLogs: false,
      maxThreads: options.threads,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        for (const sink of logSinks) {
          if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) sink.error({ llama: message.trim() }, 'llama.cpp');
          else sink.warn({ llama: message.trim() }, 'llama.cpp');
        }
      },
    }),
  );
  if (options.logger) logSinks.add(options.logger);
  return {
    llama: value,
    release: async () => {
      if (options.logger) logSinks.delete(options.logger);
      await release();
    },
  };
}

const models = new SharedModels<LlamaModel>((model) => model.dispose());

/** Loads a GGUF once per process (per runtime); later holders share it. */
export async function acquireLlamaModel(llama: Llama, modelPath: string): Promise<{ model: LlamaModel; release: () => Promise<void> }> {
  const { value, release } = await models.acquire(modelPath, async () => {
    await checkModelFile(modelPath, { what: 'GGUF model', magic: 'GGUF', minBytes: 32 });
    try {
      return await llama.loadModel({ modelPath });
    } catch (error) {
      throw modelLoadError('GGUF model', modelPath, error);
    }
  });
  return { model: value, release };
}
