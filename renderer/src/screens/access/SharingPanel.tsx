import { useEffect, useState } from 'react';
import type { SharingStatus } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** "Share with the office" (desktop app, admins): the same signed-in console for colleagues' browsers, over TLS. */
export function SharingPanel() {
  const client = useClient();
  const [status, setStatus] = useState<SharingStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    client.call('sharing.status', {}).then(setStatus, () => undefined);
  }, [client]);
  if (!status?.available) return null;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await client.call(status.running ? 'sharing.stop' : 'sharing.start', {}));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="models-card" aria-label="Share with the office" data-testid="sharing">
      <h2>Share with the office</h2>
      <p className="muted small">Off: this app opens no network port. On: colleagues open the console in a browser and sign in with their own accounts (add them below).</p>
      <label>
        <input type="checkbox" style={{ width: 'auto' }} checked={status.running} disabled={busy} onChange={() => void toggle()} data-testid="sharing-toggle" /> Share with the office
      </label>
      {status.running && status.url && (
        <p className="small">
          Address: <code>{status.url}</code>
          {status.tlsFingerprint && (
            <>
              <br />
              Certificate SHA-256 (self-signed; colleagues compare it once): <code>{status.tlsFingerprint}</code>
            </>
          )}
        </p>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
