import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, ProviderInput, type Provider, type ProviderHealth, type ProviderRole, type ProviderTestResult } from '../../contracts';
import { ProviderGuard, type GuardOptions } from '../adapters/resilience/provider-guard';
import { createLanguageModel, createTextToSpeech, type LlmEngineConfig, type TtsEngineConfig } from '../adapters/registry';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { TextToSpeech } from '../ports/speech';
import type { LanguageModel } from '../ports/llm';
import { readSettings } from '../storage/campaign-settings-store';
import type { SecretStore } from '../secrets/secret-store';

export function providerSecretKey(id: string): string {
  return `provider:${id}`;
}

/** What the voice runtime is told when the office's choice for a role changes. */
export interface ProviderEngines {
  useProviderEngine(role: 'llm' | 'tts', config: LlmEngineConfig | TtsEngineConfig | undefined): Promise<void>;
}

interface Row {
  id: string;
  role: string;
  kind: string;
  name: string;
  settings: string;
  prices: string;
  has_secret: number;
  active: number;
  created_at: number;
  updated_at: number;
}

/** Which kinds can serve which role in this build (speech to text stays with local Whisper models). */
const SUPPORTED: Record<ProviderRole, ReadonlyArray<Provider['kind']>> = {
  llm: ['openai-compatible', 'anthropic'],
  tts: ['elevenlabs'],
  stt: [],
  analysis: [],
};

/**
 * Providers an office configured (the `providers` table, migration 014/018): OpenAI-compatible
 * endpoints (OpenAI, Ollama, LM Studio, vLLM), Anthropic, ElevenLabs. Keys live in the secret store.
 * The active provider of a role is what new calls use; with none, the model manager's local model.
 */
export class ProviderService {
  /** Each provider's breaker, shared by every engine built for it (calls, tests, premium voices). */
  private readonly guards = new Map<string, ProviderGuard>();
  /** Voice engines of premium providers, built once and shared by calls. */
  private readonly voices = new Map<string, Promise<TextToSpeech>>();
  /** Language models campaigns chose, built once and shared by calls. */
  private readonly campaignModels = new Map<string, Promise<LanguageModel>>();

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; secrets: SecretStore; clock: Clock; events: EventBus; logger: Logger; engines: ProviderEngines },
    private readonly options: { guard?: GuardOptions } = {},
  ) {}

  /** Tells the runtime about the saved choices (at start). */
  async start(): Promise<void> {
    for (const provider of this.list().filter((p) => p.active)) await this.apply(provider.role, provider).catch((error: unknown) => this.deps.logger.error({ err: error, providerId: provider.id }, 'could not use the chosen provider'));
  }

  list(): Provider[] {
    return (this.deps.sqlite.prepare('select * from providers where deleted_at is null order by role, created_at').all() as Row[]).map(toProvider);
  }

  get(id: string): Provider {
    const row = this.deps.sqlite.prepare('select * from providers where id = ? and deleted_at is null').get(id) as Row | undefined;
    if (!row) throw new ParleyError('not_found', `No provider "${id}"`);
    return toProvider(row);
  }

  async create(input: ProviderInput): Promise<Provider> {
    const parsed = this.validate(ProviderInput.parse(input));
    const id = randomUUID();
    if (parsed.apiKey) await this.deps.secrets.set(providerSecretKey(id), parsed.apiKey);
    const now = this.deps.clock.now();
    this.deps.sqlite
      .prepare('insert into providers (id, role, kind, name, settings, prices, has_secret, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, parsed.role, parsed.kind, parsed.name, JSON.stringify(parsed.settings), JSON.stringify(parsed.prices), parsed.apiKey ? 1 : 0, now, now);
    this.changed();
    return this.get(id);
  }

  async update(id: string, input: ProviderInput): Promise<Provider> {
    const before = this.get(id);
    const parsed = this.validate(ProviderInput.parse(input));
    if (parsed.role !== before.role) throw new ParleyError('invalid_payload', 'A provider keeps its role; add a new one for another role', [{ path: 'provider.role', message: 'Cannot change' }]);
    let hasKey = before.hasKey;
    if (parsed.apiKey === '') {
      await this.deps.secrets.delete(providerSecretKey(id));
      hasKey = false;
    } else if (parsed.apiKey) {
      await this.deps.secrets.set(providerSecretKey(id), parsed.apiKey);
      hasKey = true;
    }
    this.deps.sqlite
      .prepare('update providers set kind = ?, name = ?, settings = ?, prices = ?, has_secret = ?, updated_at = ? where id = ?')
      .run(parsed.kind, parsed.name, JSON.stringify(parsed.settings), JSON.stringify(parsed.prices), hasKey ? 1 : 0, this.deps.clock.now(), id);
    const after = this.get(id);
    this.forgetVoice(id);
    if (after.active) await this.apply(after.role, after);
    this.changed();
    return after;
  }

  async remove(id: string): Promise<void> {
    const provider = this.get(id);
    if (provider.active) throw new ParleyError('conflict', `"${provider.name}" is in use for new calls; choose another provider (or local models) first`);
    this.deps.sqlite.prepare('update providers set deleted_at = ? where id = ?').run(this.deps.clock.now(), id);
    await this.deps.secrets.delete(providerSecretKey(id));
    this.forgetVoice(id);
    this.changed();
  }

  /** Makes `id` the role's choice, or with null returns the role to local models. */
  async use(role: ProviderRole, id: string | null): Promise<Provider[]> {
    const provider = id ? this.get(id) : null;
    if (provider && provider.role !== role) throw new ParleyError('invalid_payload', `"${provider.name}" is a ${provider.role} provider, not ${role}`);
    if (role !== 'llm' && role !== 'tts') throw new ParleyError('invalid_payload', `This build chooses providers for the language model and the voice only; ${role} uses local models`);
    // Loaded first: a provider that cannot be built is refused and the previous choice stays.
    await this.apply(role, provider);
    this.deps.sqlite.transaction(() => {
      this.deps.sqlite.prepare('update providers set active = 0 where role = ?').run(role);
      if (provider) this.deps.sqlite.prepare('update providers set active = 1 where id = ?').run(provider.id);
    })();
    this.changed();
    return this.list();
  }

  /** The voice engine of a voice provider (a campaign's premium voice), built once. */
  voiceEngine(id: string): Promise<TextToSpeech> {
    let engine = this.voices.get(id);
    if (!engine) {
      const provider = this.get(id);
      if (provider.role !== 'tts') return Promise.reject(new ParleyError('invalid_payload', `"${provider.name}" is not a voice provider`));
      engine = this.engineConfig(provider).then((config) => createTextToSpeech(config as TtsEngineConfig));
      engine.catch(() => this.voices.delete(id));
      this.voices.set(id, engine);
    }
    return engine;
  }

  /**
   * The model a campaign's next call uses, when the campaign chose its own and that provider is not
   * being skipped; undefined: the office's choice.
   */
  async campaignModel(campaignId: string): Promise<LanguageModel | undefined> {
    const row = this.deps.sqlite.prepare('select settings from campaigns where id = ?').get(campaignId) as { settings: string } | undefined;
    const id = row ? readSettings(row.settings).llmProviderId : null;
    if (!id) return undefined;
    const provider = this.list().find((p) => p.id === id && p.role === 'llm');
    if (!provider) return undefined;
    if (!this.guardFor(provider).available()) return undefined; // skipped for now: the office's choice takes the call
    let model = this.campaignModels.get(id);
    if (!model) {
      model = this.engineConfig(provider).then((config) => createLanguageModel(config as LlmEngineConfig));
      model.catch(() => this.campaignModels.delete(id));
      this.campaignModels.set(id, model);
    }
    return model.catch((error: unknown) => {
      this.deps.logger.warn({ err: error, campaignId, providerId: id }, 'the campaign’s model could not be built: the office’s choice takes the call');
      return undefined;
    });
  }

  /** Says why `id` cannot be a campaign's language model, or null. */
  campaignModelProblem(id: string): string | null {
    const provider = this.list().find((p) => p.id === id);
    if (!provider) return 'That provider does not exist (removed?)';
    return provider.role === 'llm' ? null : `"${provider.name}" is not a language model provider`;
  }

  /** Says why `id` cannot be a campaign's premium voice, or null. */
  premiumVoiceProblem(id: string): string | null {
    const provider = this.list().find((p) => p.id === id);
    if (!provider) return 'That provider does not exist (removed?)';
    return provider.role === 'tts' ? null : `"${provider.name}" is not a voice provider`;
  }

  async dispose(): Promise<void> {
    const engines: Array<Promise<{ dispose(): Promise<void> }>> = [...this.voices.values(), ...this.campaignModels.values()];
    this.voices.clear();
    this.campaignModels.clear();
    for (const engine of engines) await engine.then((e) => e.dispose()).catch(() => undefined);
  }

  /** A real round trip with the provider: a one-line reply, or one spoken word. */
  async test(id: string): Promise<ProviderTestResult> {
    const provider = this.get(id);
    const started = performance.now();
    try {
      const config = await this.engineConfig(provider);
      if (provider.role === 'tts') {
        const tts = await createTextToSpeech(config as TtsEngineConfig);
        try {
          let samples = 0;
          for await (const chunk of tts.synthesize('Hello.', { signal: AbortSignal.timeout(15_000) })) samples += chunk.samples.length;
          if (samples === 0) throw new Error('The voice returned no audio');
        } finally {
          await tts.dispose();
        }
      } else {
        const llm = await createLanguageModel(config as LlmEngineConfig);
        try {
          const conversation = await llm.startConversation({ systemPrompt: 'Answer with one short word.' });
          let text = '';
          for await (const chunk of conversation.reply({ user: 'Say OK.' }, { signal: AbortSignal.timeout(15_000) })) if (chunk.type === 'text') text += chunk.text;
          await conversation.dispose();
          if (!text.trim()) throw new Error('The model returned an empty reply');
        } finally {
          await llm.dispose();
        }
      }
      const latencyMs = Math.round(performance.now() - started);
      return { ok: true, latencyMs, message: `${provider.name} answered in ${latencyMs} ms` };
    } catch (error) {
      return { ok: false, latencyMs: null, message: this.scrub((error as Error).message, await this.key(provider.id)) };
    }
  }

  /** The model ids an OpenAI-compatible server lists. */
  async models(request: { id?: string; baseUrl?: string; apiKey?: string }): Promise<string[]> {
    const saved = request.id ? this.get(request.id) : undefined;
    const baseUrl = request.baseUrl ?? saved?.settings.baseUrl;
    if (!baseUrl) throw new ParleyError('invalid_payload', 'Give the server’s base URL (e.g. http://127.0.0.1:11434/v1)');
    const apiKey = request.apiKey ?? (saved ? await this.key(saved.id) : undefined);
    let response: Response;
    try {
      response = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new ParleyError('unavailable', `Cannot reach ${baseUrl}: ${this.scrub((error as Error).message, apiKey)}`);
    }
    if (!response.ok) throw new ParleyError('unavailable', `${baseUrl} answered HTTP ${response.status} to the model list`);
    const body = (await response.json().catch(() => null)) as { data?: Array<{ id?: unknown }> } | null;
    const ids = (body?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
    return [...new Set(ids)].sort();
  }

  private async apply(role: ProviderRole, provider: Provider | null): Promise<void> {
    if (role !== 'llm' && role !== 'tts') return;
    await this.deps.engines.useProviderEngine(role, provider ? await this.engineConfig(provider) : undefined);
  }

  /** Breakers of the providers used since start, with their state (the console's provider health). */
  health(): ProviderHealth[] {
    return [...this.guards.values()].map((guard) => ({ providerId: guard.id, name: guard.name, ...guard.health() }));
  }

  private guardFor(provider: Provider): ProviderGuard {
    let guard = this.guards.get(provider.id);
    if (!guard) {
      guard = new ProviderGuard(provider.id, provider.name, this.options.guard);
      guard.onChange((healthy, detail) => {
        this.deps.logger.warn({ providerId: provider.id, healthy, detail }, healthy ? 'provider answering again' : 'provider skipped after repeated failures');
        this.deps.events.emit('office.alert', {
          id: `provider:${provider.id}`,
          kind: healthy ? 'provider-restored' : 'provider-down',
          severity: healthy ? 'info' : 'warning',
          message: healthy ? `${provider.name} answers again; new calls use it.` : `${provider.name} keeps failing (${detail}); new calls skip it for now and use the campaign script or the office voice instead.`,
          at: this.deps.clock.now(),
          campaignId: null,
          providerId: provider.id,
        });
      });
      this.guards.set(provider.id, guard);
    }
    return guard;
  }

  private async engineConfig(provider: Provider): Promise<LlmEngineConfig | TtsEngineConfig> {
    const apiKey = await this.key(provider.id);
    const { baseUrl, model, voiceId } = provider.settings;
    const guard = this.guardFor(provider);
    switch (provider.kind) {
      case 'openai-compatible':
        return { kind: 'openai-compatible', baseUrl: baseUrl!, model: model!, apiKey, serviceName: provider.name, providerId: provider.id, guard };
      case 'anthropic':
        return { kind: 'anthropic', apiKey: apiKey ?? '', model: model!, baseUrl, providerId: provider.id, guard };
      case 'elevenlabs':
        return { kind: 'elevenlabs', apiKey: apiKey ?? '', voiceId: voiceId!, baseUrl, providerId: provider.id, guard };
      default:
        throw new ParleyError('invalid_payload', `A ${provider.kind} provider is chosen on the Models screen`);
    }
  }

  private validate<T extends { role: ProviderRole; kind: Provider['kind']; settings: Provider['settings']; apiKey?: string }>(input: T): T {
    const problem = (path: string, message: string) => new ParleyError('invalid_payload', message, [{ path, message }]);
    if (!SUPPORTED[input.role].includes(input.kind)) throw problem('kind', `A ${input.kind} provider cannot serve the ${input.role} role here (${SUPPORTED[input.role].join(', ') || 'local models only'})`);
    if (input.kind === 'openai-compatible' && !input.settings.baseUrl) throw problem('settings.baseUrl', 'Give the server’s base URL');
    if ((input.kind === 'openai-compatible' || input.kind === 'anthropic') && !input.settings.model) throw problem('settings.model', 'Choose a model');
    if (input.kind === 'elevenlabs' && !input.settings.voiceId) throw problem('settings.voiceId', 'Choose a voice');
    return input;
  }

  /** A changed or removed provider's voice is rebuilt (or refused) for the next call. */
  private forgetVoice(id: string): void {
    const engine = this.voices.get(id);
    this.voices.delete(id);
    void engine?.then((e) => e.dispose()).catch(() => undefined);
    // Calls in progress keep the model they started with; new calls get one built from the new settings.
    this.campaignModels.delete(id);
  }

  private key(id: string): Promise<string | undefined> {
    return this.deps.secrets.get(providerSecretKey(id));
  }

  /** A provider's error text never carries its key back to the console. */
  private scrub(message: string, key: string | undefined): string {
    return key ? message.split(key).join('[key]') : message;
  }

  private changed(): void {
    this.deps.events.emit('providers.changed', {});
  }
}

function toProvider(row: Row): Provider {
  return {
    id: row.id,
    role: row.role as Provider['role'],
    kind: row.kind as Provider['kind'],
    name: row.name,
    settings: JSON.parse(row.settings) as Provider['settings'],
    prices: JSON.parse(row.prices) as Provider['prices'],
    hasKey: row.has_secret === 1,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
