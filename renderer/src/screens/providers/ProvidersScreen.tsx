import { useCallback, useEffect, useState } from 'react';
import type { Provider, ProviderHealth, ProviderTestResult } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { ProviderForm } from './ProviderForm';
import { BudgetPanel } from '../budgets/BudgetPanel';
import { useAction } from '../../lib/use-action';
import './providers.css';

export const ROLE_LABEL: Record<Provider['role'], string> = { llm: 'Language model', tts: 'Voice', stt: 'Speech to text', analysis: 'Call analysis' };
export const KIND_LABEL: Record<Provider['kind'], string> = { local: 'Local model', 'openai-compatible': 'OpenAI-compatible', anthropic: 'Anthropic', elevenlabs: 'ElevenLabs' };

/** Admin: API providers per role. The active one serves new calls; with none, the local model from the Models screen. */
export function ProvidersScreen() {
  const client = useClient();
  const [providers, setProviders] = useState<Provider[]>([]);
  const [health, setHealth] = useState<Record<string, ProviderHealth>>({});
  const [editing, setEditing] = useState<string | 'new'>();
  const [tests, setTests] = useState<Record<string, ProviderTestResult | 'running'>>({});

  const load = useCallback(async () => {
    setProviders(await client.call('providers.list', {}));
    setHealth(Object.fromEntries((await client.call('providers.health', {})).map((h) => [h.providerId, h])));
  }, [client]);
  useEffect(() => {
    void load();
    const offChanged = client.on('providers.changed', () => void load());
    const offAlert = client.on('office.alert', (alert) => {
      if (alert.providerId) void load();
    });
    return () => (offChanged(), offAlert());
  }, [client, load]);

  const { problem, act } = useAction(load);
  const test = async (id: string) => {
    setTests((t) => ({ ...t, [id]: 'running' }));
    const result = await client.call('providers.test', { id }).catch((error: Error) => ({ ok: false, latencyMs: null, message: error.message }));
    setTests((t) => ({ ...t, [id]: result }));
  };
  const current = editing && editing !== 'new' ? providers.find((p) => p.id === editing) : undefined;

  return (
    <div className="providers-screen">
      <header className="pane-header">
        <h1>Providers</h1>
        <button className="primary" onClick={() => setEditing('new')} data-testid="new-provider">
          Add provider
        </button>
      </header>
      <p className="muted small">
        A language model or voice served by an API: OpenAI, Ollama, LM Studio, vLLM or any OpenAI-compatible server, Anthropic, ElevenLabs. The one marked “In use” serves new calls; with none, the
        local model chosen on the Models screen does. Keys are kept in the secret store and never shown again.
      </p>
      {problem && <p className="error">{problem}</p>}
      <BudgetPanel scope="office" />
      {editing === 'new' && <ProviderForm key="new" onDone={() => (setEditing(undefined), void load())} />}
      {current && <ProviderForm key={current.id} provider={current} onDone={() => (setEditing(undefined), void load())} />}
      {(['llm', 'tts'] as const).map((role) => {
        const mine = providers.filter((p) => p.role === role);
        const inUse = mine.find((p) => p.active);
        return (
          <section key={role} className="provider-role" data-testid={`provider-role-${role}`}>
            <h2>{ROLE_LABEL[role]}</h2>
            <p className="small" data-testid="provider-in-use">
              New calls use: <strong>{inUse ? inUse.name : 'the local model (Models screen)'}</strong>
              {inUse && (
                <button className="ghost" onClick={() => act(() => client.call('providers.use', { role, id: null }))} data-testid="provider-use-local">
                  Use the local model instead
                </button>
              )}
            </p>
            <ul className="provider-list">
              {mine.map((p) => {
                const t = tests[p.id];
                return (
                  <li key={p.id} className="provider-row" data-testid="provider-row" data-provider={p.name}>
                    <div>
                      <strong>{p.name}</strong> <span className="badge">{KIND_LABEL[p.kind]}</span> {p.active && <span className="badge in-use">In use</span>}
                      <div className="muted small">
                        {[p.settings.model, p.settings.voiceId, p.settings.baseUrl].filter(Boolean).join(' · ')}
                        {p.hasKey ? ' · key saved' : ''}
                      </div>
                      {health[p.id] && health[p.id]!.state !== 'closed' && (
                        <div className="field-error small" data-testid="provider-health">
                          {health[p.id]!.state === 'throttled' ? 'Asked to slow down' : 'Skipped after repeated failures'}
                          {health[p.id]!.retryAt !== null && ` until ${new Date(health[p.id]!.retryAt!).toLocaleTimeString()}`}
                          {health[p.id]!.lastError && `: ${health[p.id]!.lastError}`}
                        </div>
                      )}
                      {t === 'running' && <div className="small">Testing…</div>}
                      {t && t !== 'running' && (
                        <div className={t.ok ? 'ok small' : 'field-error small'} data-testid="provider-test-result">
                          {t.ok ? 'OK' : 'Failed'}: {t.message}
                        </div>
                      )}
                    </div>
                    <div className="line-actions">
                      <button className="ghost" onClick={() => test(p.id)} disabled={t === 'running'} data-testid="provider-test">
                        Test
                      </button>
                      {!p.active && (
                        <button className="ghost" onClick={() => act(() => client.call('providers.use', { role, id: p.id }))} data-testid="provider-use">
                          Use for new calls
                        </button>
                      )}
                      <button className="ghost" onClick={() => setEditing(p.id)} data-testid="provider-edit">
                        Edit
                      </button>
                      <button className="danger" onClick={() => act(() => client.call('providers.remove', { id: p.id }))} data-testid="provider-remove">
                        Remove
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
