import { useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { formatBytes, useModels } from './store';

/** Step 1 and 2: what this machine has, and the model set that fits it, with the reasons. */
export function MachineCard() {
  const client = useClient();
  const recommendation = useModels((s) => s.recommendation);
  const recommending = useModels((s) => s.recommending);
  const [calls, setCalls] = useState(2);
  const [language, setLanguage] = useState('en');

  useEffect(() => {
    void useModels.getState().recommend(client, calls, language);
  }, [client, calls, language]);

  const hw = recommendation?.hardware;
  const missing = recommendation?.picks.filter((p) => !p.installed) ?? [];
  return (
    <section className="models-card" aria-label="Your machine and the recommended models" data-testid="models-recommendation">
      <h2>Your machine</h2>
      {!hw && <p className="muted">{recommending ? 'Looking at this machine…' : 'No hardware information yet.'}</p>}
      {hw && (
        <dl className="models-hardware" data-testid="models-hardware">
          <dt>Processor</dt>
          <dd>
            {hw.cpuModel} ({hw.physicalCores} cores, {hw.cpuCores} threads)
          </dd>
          <dt>Memory</dt>
          <dd>{formatBytes(hw.totalRamBytes)}</dd>
          <dt>Graphics</dt>
          <dd>{hw.llamaGpu ? `${hw.llamaGpu.toUpperCase()}: ${hw.gpuNames.join(', ') || 'GPU'} (${formatBytes(hw.vramBytes)}${hw.unifiedMemory ? ', shared memory' : ''})` : 'No usable GPU: models run on the CPU'}</dd>
          <dt>Free disk</dt>
          <dd>{hw.freeDiskBytes === null ? 'unknown' : formatBytes(hw.freeDiskBytes)}</dd>
        </dl>
      )}
      <h2>Recommended models</h2>
      <div className="models-row">
        <label>
          Concurrent calls
          <input type="number" min={1} max={64} value={calls} data-testid="models-calls" onChange={(e) => setCalls(Math.min(64, Math.max(1, Number(e.target.value) || 1)))} />
        </label>
        <label>
          Call language
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="en">English</option>
            <option value="de">German</option>
            <option value="fr">French</option>
            <option value="es">Spanish</option>
            <option value="it">Italian</option>
            <option value="pt">Portuguese</option>
            <option value="nl">Dutch</option>
          </select>
        </label>
      </div>
      {recommendation && (
        <>
          <ul className="models-picks">
            {recommendation.picks.map((p) => (
              <li key={p.role} data-testid="models-pick">
                <strong>{ROLE_LABELS[p.role]}:</strong> {p.name} {p.installed ? <span className="badge">installed</span> : <span className="muted">({formatBytes(p.downloadBytes)})</span>}
                <div className="muted small">{p.reason}</div>
              </li>
            ))}
          </ul>
          {recommendation.notes.map((note) => (
            <p key={note} className={recommendation.fits ? 'muted small' : 'error'}>
              {note}
            </p>
          ))}
          <button className="primary" data-testid="models-download-recommended" disabled={missing.length === 0} onClick={() => void useModels.getState().downloadRecommended(client)}>
            {missing.length === 0 ? 'All recommended models are installed' : `Download the recommended set (${formatBytes(recommendation.totalDownloadBytes)})`}
          </button>
        </>
      )}
    </section>
  );
}
