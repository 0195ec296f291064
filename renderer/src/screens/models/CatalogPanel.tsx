import { useState } from 'react';
import { MODEL_ROLES, ROLE_LABELS, type ModelRole } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { formatBytes, useModels } from './store';

/** Every model the catalog knows, by role, for choosing something other than the recommendation. */
export function CatalogPanel() {
  const client = useClient();
  const catalog = useModels((s) => s.catalog);
  const downloads = useModels((s) => s.downloads);
  const [role, setRole] = useState<ModelRole>('llm');
  const busy = new Set(Object.values(downloads).filter((j) => ['queued', 'downloading', 'verifying'].includes(j.state)).map((j) => j.modelId));
  return (
    <section className="models-card" aria-label="All models">
      <h2>All models</h2>
      <div className="models-row" role="tablist">
        {MODEL_ROLES.map((r) => (
          <button key={r} role="tab" aria-selected={r === role} className={r === role ? 'primary' : ''} onClick={() => setRole(r)}>
            {ROLE_LABELS[r]}
          </button>
        ))}
      </div>
      <ul className="models-picks">
        {catalog
          .filter((c) => c.model.role === role)
          .map(({ model, downloadBytes, verified, installed }) => (
            <li key={model.id} data-testid="models-catalog-row" data-model-id={model.id}>
              <div className="models-row">
                <strong>{model.name}</strong>
                <span className="muted small">
                  {downloadBytes === null ? 'size unknown' : formatBytes(downloadBytes)} · {model.license} · {model.languages.join(', ')} · {model.speedClass}
                </span>
                {!verified && <span className="badge">unverified</span>}
                {installed ? (
                  <span className="badge status-running">installed</span>
                ) : (
                  <button
                    className="ghost"
                    disabled={busy.has(model.id)}
                    data-testid="models-catalog-download"
                    onClick={() => {
                      if (!verified && !window.confirm(`${model.name}'s size and checksum are not verified. Download it anyway? Its actual checksum will be recorded.`)) return;
                      void useModels.getState().download(client, model.id, !verified);
                    }}
                  >
                    {busy.has(model.id) ? 'Downloading…' : 'Download'}
                  </button>
                )}
              </div>
              <div className="muted small">{model.description}</div>
            </li>
          ))}
      </ul>
    </section>
  );
}
