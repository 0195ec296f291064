import './compliance.css';
import { useEffect, useState } from 'react';
import { ABANDON_CAP_PERCENT, ABANDON_SLOW_PERCENT, type AbandonmentRate as Rate } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

const STATE_TEXT: Record<Rate['state'], string> = {
  ok: 'within the limit',
  slowed: `near the limit: the dialer places fewer calls at once (from ${ABANDON_SLOW_PERCENT}%)`,
  capped: 'at the limit: no new calls until the rate falls',
};

/** Loads the rolling abandoned-call rate of one campaign, or of every campaign; reloads as calls end. */
function useAbandonment(campaignId: string | undefined): { rates: Rate[] | undefined; error: string | undefined } {
  const client = useClient();
  const [rates, setRates] = useState<Rate[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const load = () =>
      client
        .call('compliance.abandonment', campaignId ? { campaignId } : {})
        .then((r) => live && setRates(r))
        .catch((e: Error) => live && setError(e.message));
    void load();
    // Counters change as calls end: the moment a rate can change.
    const off = client.on('campaign.counters', (e) => {
      if (!campaignId || e.counters.campaignId === campaignId) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [client, campaignId]);
  return { rates, error };
}

/** The campaign page's line: abandoned calls over the rolling window against the 3% limit. */
export function CampaignAbandonment({ campaignId }: { campaignId: string }) {
  const { rates, error } = useAbandonment(campaignId);
  if (error) return <p className="field-error">{error}</p>;
  const rate = rates?.[0];
  if (!rate) return null;
  return (
    <p className={`abandonment abandonment-${rate.state}`} data-testid="campaign-abandonment">
      Abandoned calls ({rate.windowDays} days): <strong data-testid="abandonment-percent">{rate.percent.toFixed(2)}%</strong> ({rate.abandoned} of{' '}
      {rate.answered} answered; limit {ABANDON_CAP_PERCENT}%), {STATE_TEXT[rate.state]}.
    </p>
  );
}

/** Analytics: every campaign's abandoned-call rate. */
export function AbandonmentCard({ names }: { names: Record<string, string> }) {
  const { rates, error } = useAbandonment(undefined);
  return (
    <section className="card" aria-label="Abandoned calls" data-testid="abandonment-card">
      <h2>Abandoned calls, last 30 days</h2>
      <p className="muted small">
        Answered calls where the agent said nothing within 2 s, or the caller hung up waiting for a person. Limit {ABANDON_CAP_PERCENT}% per campaign; dry runs and machines excluded.
      </p>
      {error && <p className="error">{error}</p>}
      {rates && rates.length === 0 && <p className="muted small">No answered calls in the last 30 days.</p>}
      {rates && rates.length > 0 && (
        <table className="report-table">
          <thead>
            <tr>
              <th>Campaign</th>
              <th>Answered</th>
              <th>Abandoned</th>
              <th>Rate</th>
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr key={r.campaignId} className={`abandonment-${r.state}`}>
                <td>{names[r.campaignId] ?? r.campaignId}</td>
                <td>{r.answered.toLocaleString()}</td>
                <td>{r.abandoned.toLocaleString()}</td>
                <td>{r.percent.toFixed(2)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
