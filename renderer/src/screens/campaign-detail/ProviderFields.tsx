import { useEffect, useState } from 'react';
import type { CampaignSettings, Provider } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** The campaign's own language model (a provider); none: the office's choice on the Providers screen. */
export function CampaignModelField({ value, onChange }: { value: string | null; onChange(next: string | null): void }) {
  const client = useClient();
  const [models, setModels] = useState<Provider[]>([]);
  useEffect(() => {
    client.call('providers.list', {}).then((all) => setModels(all.filter((p) => p.role === 'llm')), () => setModels([]));
  }, [client]);
  if (models.length === 0 && !value) return null;
  return (
    <label>
      Language model
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} data-testid="campaign-llm-provider">
        <option value="">The office's choice (Providers screen)</option>
        {models.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <span className="muted small">While it is being skipped after failures, calls use the office's choice, then the script.</span>
    </label>
  );
}

/** The campaign's premium voice for hot leads: a voice provider and the lead score from which it speaks. */
export function PremiumVoiceField({ value, onChange }: { value: CampaignSettings['premiumVoice']; onChange(next: CampaignSettings['premiumVoice']): void }) {
  const client = useClient();
  const [voices, setVoices] = useState<Provider[]>([]);
  useEffect(() => {
    client.call('providers.list', {}).then((all) => setVoices(all.filter((p) => p.role === 'tts')), () => setVoices([]));
  }, [client]);
  if (voices.length === 0 && !value) return null; // no voice provider: nothing to choose
  return (
    <div className="settings-grid" data-testid="campaign-premium-voice">
      <label>
        Premium voice for hot leads
        <select value={value?.providerId ?? ''} onChange={(e) => onChange(e.target.value ? { providerId: e.target.value, minQualification: value?.minQualification ?? 0.7 } : null)} data-testid="campaign-premium-provider">
          <option value="">None: the office voice for everyone</option>
          {voices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {value && (
        <label>
          From a lead score of (%)
          <input
            type="number"
            min={0}
            max={100}
            value={Math.round(value.minQualification * 100)}
            onChange={(e) => onChange({ ...value, minQualification: Math.min(1, Math.max(0, Number(e.target.value) / 100)) })}
            data-testid="campaign-premium-threshold"
          />
          <span className="muted small">The contact's last score, or this call's so far; within budget only.</span>
        </label>
      )}
    </div>
  );
}
