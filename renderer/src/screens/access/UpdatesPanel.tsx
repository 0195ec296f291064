import { useEffect, useState } from 'react';
import type { UpdateStatus } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** Updates (admins): the version, whether the app looks for updates when it starts, and installing one. */
export function UpdatesPanel() {
  const client = useClient();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.call('updates.status', {}).then(setStatus, () => undefined);
    return client.on('updates.changed', setStatus);
  }, [client]);
  if (!status) return null;
  const run = async (work: () => Promise<UpdateStatus>) => {
    setError(null);
    try {
      setStatus(await work());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="models-card" aria-label="Updates" data-testid="updates">
      <h2>Updates</h2>
      <p className="small">
        Parley {status.currentVersion}. <span data-testid="updates-detail">{status.detail}</span>
        {status.state === 'downloading' && status.percent !== null && ` (${status.percent}%)`}
      </p>
      {status.available && (
        <>
          <label>
            <input type="checkbox" style={{ width: 'auto' }} checked={status.checkOnStart} onChange={(e) => void run(() => client.call('updates.setCheckOnStart', { enabled: e.target.checked }))} data-testid="updates-check-on-start" /> Look for updates when Parley starts
          </label>{' '}
          <button type="button" className="ghost" disabled={status.state === 'checking' || status.state === 'downloading'} onClick={() => void run(() => client.call('updates.check', {}))} data-testid="updates-check">
            Check now
          </button>
        </>
      )}
      {status.releaseNotes && (
        <details open={status.state === 'ready'}>
          <summary>What is new in {status.version}</summary>
          <pre className="small" style={{ whiteSpace: 'pre-wrap' }} data-testid="updates-notes">
            {status.releaseNotes}
          </pre>
        </details>
      )}
      {status.state === 'ready' && (
        <button type="button" className="primary" onClick={() => void run(() => client.call('updates.install', {}))} data-testid="updates-install">
          Restart to update (calls in progress end)
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
