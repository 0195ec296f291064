import { useState } from 'react';
import { useClient } from '../../ClientContext';

/**
 * Taking a number off the do-not-call list: asks for a reason and a confirmation (both go to the
 * audit log) before anything is removed.
 */
export function DncRemoval({ phone, label, onRemoved, onError }: { phone: string; label: string; onRemoved: () => void; onError?: (message: string) => void }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button className="ghost" data-testid="dnc-remove" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('dnc.remove', { phone, reason, confirm: true });
      setOpen(false);
      setReason('');
      onRemoved();
    } catch (e) {
      const message = (e as Error).message;
      setError(message);
      onError?.(message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="dnc-removal" role="group" aria-label={`Remove ${phone} from the do-not-call list`}>
      <input placeholder="Why may we call again?" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="dnc-remove-reason" />
      <button className="danger" disabled={busy || reason.trim().length === 0} onClick={() => void confirm()} data-testid="dnc-remove-confirm">
        Confirm removal
      </button>
      <button className="ghost" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && <span className="error">{error}</span>}
    </span>
  );
}
