import { useState } from 'react';
import type { Provider, ProviderInput } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { KIND_LABEL, ROLE_LABEL } from './ProvidersScreen';

const KINDS: Record<'llm' | 'tts', Array<Provider['kind']>> = { llm: ['openai-compatible', 'anthropic'], tts: ['elevenlabs'] };
const price = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** Add or edit a provider. The key is write-only: empty keeps the saved one. */
export function ProviderForm({ provider, onDone }: { provider?: Provider; onDone(): void }) {
  const client = useClient();
  const [role, setRole] = useState<'llm' | 'tts'>(provider?.role === 'tts' ? 'tts' : 'llm');
  const [kind, setKind] = useState<Provider['kind']>(provider?.kind ?? 'openai-compatible');
  const [name, setName] = useState(provider?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(provider?.settings.baseUrl ?? '');
  const [model, setModel] = useState(provider?.settings.model ?? '');
  const [voiceId, setVoiceId] = useState(provider?.settings.voiceId ?? '');
  const [apiKey, setApiKey] = useState('');
  const [inputPrice, setInputPrice] = useState(String(provider?.prices.inputPerMillionTokens ?? ''));
  const [outputPrice, setOutputPrice] = useState(String(provider?.prices.outputPerMillionTokens ?? ''));
  const [charPrice, setCharPrice] = useState(String(provider?.prices.perMillionCharacters ?? ''));
  const [models, setModels] = useState<string[]>();
  const [problem, setProblem] = useState<string>();

  const loadModels = async () => {
    try {
      setModels(await client.call('providers.models', { baseUrl: baseUrl || undefined, ...(apiKey ? { apiKey } : {}), ...(provider ? { id: provider.id } : {}) }));
      setProblem(undefined);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const save = async () => {
    const input: ProviderInput = {
      role,
      kind,
      name,
      settings: { ...(baseUrl ? { baseUrl } : {}), ...(model && kind !== 'elevenlabs' ? { model } : {}), ...(voiceId && kind === 'elevenlabs' ? { voiceId } : {}) },
      prices: role === 'llm' ? { inputPerMillionTokens: price(inputPrice), outputPerMillionTokens: price(outputPrice) } : { perMillionCharacters: price(charPrice) },
      ...(apiKey ? { apiKey } : {}),
    };
    try {
      if (provider) await client.call('providers.update', { id: provider.id, provider: input });
      else await client.call('providers.create', input);
      onDone();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <form className="provider-form" onSubmit={(e) => (e.preventDefault(), void save())} data-testid="provider-form">
      <label>
        Role
        <select value={role} disabled={Boolean(provider)} onChange={(e) => (setRole(e.target.value as 'llm' | 'tts'), setKind(KINDS[e.target.value as 'llm' | 'tts'][0]!))} data-testid="provider-role">
          {(['llm', 'tts'] as const).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as Provider['kind'])} data-testid="provider-kind">
          {KINDS[role].map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Ollama on the office server" data-testid="provider-name" />
      </label>
      {kind !== 'elevenlabs' && (
        <label>
          Base URL {kind === 'anthropic' && <span className="muted small">(optional)</span>}
          <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder={kind === 'anthropic' ? 'https://api.anthropic.com' : 'http://127.0.0.1:11434/v1'} data-testid="provider-base-url" />
        </label>
      )}
      <label>
        API key {provider?.hasKey && <span className="muted small">(saved; leave empty to keep it)</span>}
        <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" data-testid="provider-key" />
      </label>
      {kind !== 'elevenlabs' && (
        <label>
          Model
          <span className="provider-model">
            <input value={model} onChange={(e) => setModel(e.target.value)} list="provider-models" data-testid="provider-model" />
            {kind === 'openai-compatible' && (
              <button type="button" className="ghost" onClick={loadModels} disabled={!baseUrl && !provider} data-testid="provider-load-models">
                List the server’s models
              </button>
            )}
          </span>
          <datalist id="provider-models">{models?.map((m) => <option key={m} value={m} />)}</datalist>
          {models && (
            <span className="small muted" data-testid="provider-models">
              {models.length === 0 ? 'The server lists no models' : `${models.length} models: ${models.join(', ')}`}
            </span>
          )}
        </label>
      )}
      {kind === 'elevenlabs' && (
        <label>
          Voice id
          <input value={voiceId} onChange={(e) => setVoiceId(e.target.value)} data-testid="provider-voice" />
        </label>
      )}
      {role === 'llm' ? (
        <div className="provider-prices">
          <label>
            $ per million input tokens
            <input inputMode="decimal" value={inputPrice} onChange={(e) => setInputPrice(e.target.value)} data-testid="provider-price-input" />
          </label>
          <label>
            $ per million output tokens
            <input inputMode="decimal" value={outputPrice} onChange={(e) => setOutputPrice(e.target.value)} data-testid="provider-price-output" />
          </label>
        </div>
      ) : (
        <label>
          $ per million characters
          <input inputMode="decimal" value={charPrice} onChange={(e) => setCharPrice(e.target.value)} data-testid="provider-price-chars" />
        </label>
      )}
      {problem && <p className="field-error small">{problem}</p>}
      <div className="line-actions">
        <button className="primary" type="submit" disabled={!name} data-testid="save-provider">
          Save
        </button>
        <button className="ghost" type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
