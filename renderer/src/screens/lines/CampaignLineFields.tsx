import { useEffect } from 'react';
import type { CampaignSettings } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useLines } from '../../store/lines';
import './lines.css';

interface Props {
  value: CampaignSettings;
  onChange(next: CampaignSettings): void;
  errors: Record<string, string>;
}

/** Which line the campaign's calls go through, and whether it dials out or answers calls. */
export function CampaignLineFields({ value, onChange, errors }: Props) {
  const client = useClient();
  const lines = useLines((s) => s.list);
  useEffect(() => {
    void useLines.getState().load(client);
  }, [client]);
  const line = value.lineId ? lines.find((l) => l.id === value.lineId) : lines.find((l) => l.kind !== 'simulated');
  const dryRun = line?.dryRun === true;

  return (
    <fieldset>
      <legend>Line</legend>
      <div className="settings-grid">
        <label>
          Direction
          <select value={value.direction} onChange={(e) => onChange({ ...value, direction: e.target.value as CampaignSettings['direction'] })} data-testid="campaign-direction">
            <option value="outbound">Outbound: dial the contacts</option>
            <option value="inbound">Inbound: answer calls on its lines</option>
          </select>
        </label>
        {value.direction === 'outbound' && (
          <label>
            Phone line
            <select value={value.lineId ?? ''} onChange={(e) => onChange({ ...value, lineId: e.target.value || null })} data-testid="campaign-line">
              <option value="">The office line{lines.some((l) => l.kind !== 'simulated') ? '' : ' (none set up yet)'}</option>
              {lines.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                  {l.dryRun ? ' (simulated: dry run)' : ''}
                </option>
              ))}
            </select>
            {errors.lineId && <span className="field-error">{errors.lineId}</span>}
          </label>
        )}
      </div>
      {value.direction === 'outbound' && dryRun && (
        <p className="dry-run-note" data-testid="campaign-dry-run">
          Dry run: nothing is written to real contacts.
        </p>
      )}
      {value.direction === 'inbound' && <p className="muted small">An inbound campaign has no contact list: route a line to it under Lines and it answers the calls that arrive there.</p>}
    </fieldset>
  );
}
