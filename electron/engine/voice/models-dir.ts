import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { VoiceEnginesConfig } from '../adapters/registry';

/**
 * Engines from a folder of model files (`parley serve --models-dir DIR`), for offices that copy
 * models by hand: a whisper.cpp `ggml-*.bin` for speech to text, a `.gguf` for the language model,
 * a Kokoro folder (config.json + onnx/) for the voice, a Silero `.onnx` for voice activity. The
 * first match per role wins (sorted by name); anything else is left alone.
 */
export function enginesFromModelsDir(dir: string): { engines: VoiceEnginesConfig; found: string[] } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`Models folder not found: ${dir}`);
  const engines: VoiceEnginesConfig = {};
  const found: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = entry.name.toLowerCase();
    if (entry.isDirectory()) {
      if (!engines.tts && existsSync(join(path, 'config.json')) && existsSync(join(path, 'onnx'))) {
        engines.tts = { kind: 'kokoro', modelDir: path };
        found.push(`voice: ${basename(path)} (kokoro)`);
      }
      continue;
    }
    if (!engines.llm && name.endsWith('.gguf')) {
      engines.llm = { kind: 'llama-cpp', modelPath: path };
      found.push(`language model: ${entry.name}`);
    } else if (!engines.vad && name.includes('silero') && name.endsWith('.onnx')) {
      engines.vad = { kind: 'silero', modelPath: path };
      found.push(`voice activity: ${entry.name}`);
    } else if (!engines.stt && name.startsWith('ggml-') && name.endsWith('.bin') && !name.includes('silero')) {
      engines.stt = { kind: 'whisper', modelPath: path };
      found.push(`speech to text: ${entry.name}`);
    }
  }
  return { engines, found };
}
