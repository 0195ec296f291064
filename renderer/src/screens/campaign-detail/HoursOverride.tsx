import { useState } from 'react';
import type { CallingWindow } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/**
 * Shown to admins when a save is refused for a window outside the legal calling hours: accepting the
 * window takes a written reason, which goes to the audit log. The dialer still keeps the legal hours.
 */
export function HoursOverride({ campaignId, callingWindow, onOverridden }: { campaignId: string; callingWindow: CallingWindow; onOverridden(): void }) {
  const client = useClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const override = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.call('campaigns.overrideHours', { id: campaignId, callingWindow, reason });
      onOverridden();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="hours-override" data-testid="hours-override">
      <label>
        Admin override: why may this campaign keep this window? (at least 20 characters, kept in the audit log; calls still keep the legal hours)
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} data-testid="hours-override-reason" />
      </label>
      <button type="button" className="danger" disabled={busy || reason.trim().length < 20} onClick={() => void override()} data-testid="hours-override-confirm">
        Override and save
      </button>
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
