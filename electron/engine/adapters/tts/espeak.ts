import { spawn, spawnSync } from 'node:child_process';
import type { AudioChunk } from '../../ports/audio';
import type { SynthesizeOptions, TextToSpeech, TextToSpeechCapabilities } from '../../ports/speech';
import { WavStreamDecoder } from '../../audio/wav';
import { espeakArguments, resolveEspeakVoice, type EspeakConfig } from './espeak-args';
import { EspeakWasmTts } from './espeak-wasm';

export type { EspeakConfig } from './espeak-args';

const SAMPLE_RATE = 22_050; // what espeak-ng writes

/** The voices this espeak-ng has (first column of `--voices` is priority, second the language). */
function listVoices(binary: string): string[] {
  const result = spawnSync(binary, ['--voices'], { encoding: 'utf8', timeout: 5_000 });
  if (result.error) throw new Error(`espeak-ng is not installed or cannot run (${binary}): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`espeak-ng --voices failed: ${result.stderr.trim()}`);
  const voices = new Set<string>();
  for (const line of result.stdout.split('\n').slice(1)) {
    const language = line.trim().split(/\s+/)[1];
    if (language) voices.add(language.toLowerCase());
  }
  return [...voices].sort();
}

/**
 * espeak-ng: offline, on every platform's package manager, dozens of languages; the voice that
 * always works. One process per sentence, read as it writes (the first audio arrives in
 * milliseconds), killed on barge-in.
 */
export class EspeakTts implements TextToSpeech {
  readonly name = 'espeak-ng';
  readonly capabilities: TextToSpeechCapabilities;
  private readonly binary: string;
  private readonly voices: Set<string>;
  private readonly running = new Set<ReturnType<typeof spawn>>();

  constructor(private readonly config: EspeakConfig = {}) {
    this.binary = config.binary ?? 'espeak-ng';
    const voices = listVoices(this.binary);
    this.voices = new Set(voices);
    const languages = [...new Set(voices.map((v) => v.split('-')[0]!))];
    this.capabilities = { sampleRate: SAMPLE_RATE, voices, languages };
  }

  /** A voice espeak has: the one asked for, else the language's, else the configured default. */
  resolveVoice(voice?: string, language?: string): string {
    return resolveEspeakVoice(this.voices, this.config, voice, language);
  }

  async *synthesize(text: string, options: SynthesizeOptions = {}): AsyncIterable<AudioChunk> {
    // Control characters would end up as espeak commands or noise; spaces are all they mean here.
    const clean = Array.from(text, (ch) => (ch.charCodeAt(0) < 0x20 ? ' ' : ch)).join('').trim();
    if (!clean) return;
    if (options.signal?.aborted) return;
    const args = ['--stdout', '--stdin', ...espeakArguments(this.config, this.resolveVoice(options.voice, options.language), options.style)];
    const child = spawn(this.binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.running.add(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    exited.catch(() => undefined);
    const kill = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', kill, { once: true });
    const timer = setTimeout(kill, this.config.timeoutMs ?? 20_000);
    child.stdin.on('error', () => undefined); // a process that died early closes its stdin
    child.stdin.end(clean);
    const decoder = new WavStreamDecoder();
    let samples = 0;
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        if (options.signal?.aborted) return;
        const pcm = decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (pcm.length === 0) continue;
        samples += pcm.length;
        yield { samples: pcm, sampleRate: decoder.format?.sampleRate ?? SAMPLE_RATE };
      }
      const code = await exited;
      if (options.signal?.aborted) return;
      if (code !== 0 || samples === 0) throw new Error(`espeak-ng produced no audio${code ? ` (exit ${code})` : ''}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      if (child.exitCode === null) kill();
      this.running.delete(child);
    }
  }

  async dispose(): Promise<void> {
    for (const child of this.running) child.kill('SIGKILL');
    this.running.clear();
  }
}

/**
 * Registry factory: the system's espeak-ng where it is installed (one process per sentence, first audio
 * in milliseconds), else the WebAssembly build shipped in the npm package, so the fallback voice and
 * simulated callers work on a fresh Windows or macOS machine too.
 */
export async function createEspeakTts(config: EspeakConfig = {}): Promise<TextToSpeech> {
  const engine = config.engine ?? 'auto';
  if (engine === 'wasm') return EspeakWasmTts.create(config);
  try {
    return new EspeakTts(config);
  } catch (error) {
    if (engine === 'system') throw error;
    return EspeakWasmTts.create(config);
  }
}
