import { useEffect, useState } from 'react';
import type { LaunchSummary } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

const SKIP_LABELS: Array<[keyof LaunchSummary['skipped'], string]> = [
  ['dnc', 'On the do-not-call list'],
  ['noConsent', 'Without the consent this purpose needs'],
  ['outsideHours', 'Outside their calling hours now (called when they open)'],
  ['invalidNumber', 'Invalid number'],
  ['alreadyDone', 'Already done in this campaign'],
];

const PURPOSES: Record<LaunchSummary['purpose'], string> = {
  marketing: 'Marketing',
  informational: 'Informational',
  'existing-customer': 'Existing-customer service',
};

/**
 * What launching would do, read before the call goes out: who is called now, who is skipped and
 * why, through which line and caller ID. Launching is the button in here, one click after reading.
 */
export function LaunchSummaryPanel({ campaignId, busy, onLaunch, onCancel }: { campaignId: string; busy: boolean; onLaunch: () => void; onCancel: () => void }) {
  const client = useClient();
  const [summary, setSummary] = useState<LaunchSummary>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setSummary(undefined);
    client
      .call('campaigns.launchSummary', { id: campaignId })
      .then(setSummary)
      .catch((e: Error) => setError(e.message));
  }, [client, campaignId]);

  if (error) {
    return (
      <div className="launch-summary" role="alert" data-testid="launch-summary-error">
        {error}{' '}
        <button type="button" className="ghost" onClick={onCancel}>
          Close
        </button>
      </div>
    );
  }
  if (!summary) return <div className="launch-summary muted">Counting who would be called…</div>;
  const blocked = summary.windowProblems.length > 0 && !summary.override;
  return (
    <div className="launch-summary" data-testid="launch-summary" role="dialog" aria-label="Launch summary">
      <h4>Before launching</h4>
      <p>
        <strong data-testid="launch-call-now">{summary.callNow.toLocaleString()}</strong> of {summary.audience.toLocaleString()} contacts will be called now
        {summary.line ? (
          <>
            {' '}
            on line <strong data-testid="launch-line">{summary.line.name}</strong>
            {summary.line.dryRun && ' (dry run)'}
          </>
        ) : (
          ' (no line yet)'
        )}
        {summary.callerId ? (
          <>
            , caller ID <strong data-testid="launch-caller-id">{summary.callerId}</strong>
          </>
        ) : (
          ', with the caller ID the line presents'
        )}
        . Purpose: {PURPOSES[summary.purpose]}.
      </p>
      <ul className="launch-skips">
        {SKIP_LABELS.map(([key, label]) => (
          <li key={key} data-testid={`launch-skip-${key}`}>
            {label}: <strong>{summary.skipped[key].toLocaleString()}</strong>
          </li>
        ))}
      </ul>
      {summary.notes.map((note) => (
        <p key={note} className="muted small">
          {note}
        </p>
      ))}
      {summary.windowProblems.map((problem) => (
        <p key={problem} className={summary.override ? 'muted small' : 'field-error'} data-testid="launch-window-problem">
          {problem}
        </p>
      ))}
      {summary.override && (
        <p className="muted small" data-testid="launch-override">
          Legal-hours check overridden by {summary.override.by}: {summary.override.reason}
        </p>
      )}
      <div className="row">
        <button type="button" className="primary" disabled={busy || blocked} onClick={onLaunch} data-testid="campaign-launch-confirm">
          Launch: call {summary.callNow.toLocaleString()} now
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
