import { useEffect, useState } from 'react';
import type { Campaign, CampaignCounters } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useCampaignLive } from '../../store/campaign-live';
import { useCampaigns } from '../../store/campaigns';
import { LaunchSummaryPanel } from './LaunchSummary';
import { CampaignAbandonment } from '../compliance/AbandonmentRate';
import { BudgetPanel } from '../budgets/BudgetPanel';
import './campaign-detail.css';

const OUTCOME_LABELS: Array<[keyof CampaignCounters['finished'], string]> = [
  ['completed', 'Completed'],
  ['no-answer', 'No answer'],
  ['busy', 'Busy'],
  ['voicemail', 'Voicemail'],
  ['failed', 'Failed'],
  ['unknown', 'Unknown'],
  ['interrupted', 'Interrupted'],
];

/** A campaign's live state: status, counters, history, and launch / pause / resume / stop. */
export function CampaignControls({ campaign }: { campaign: Campaign }) {
  const client = useClient();
  const counters = useCampaignLive((s) => s.counters[campaign.id]);
  const history = useCampaignLive((s) => s.transitions[campaign.id]);
  const dialer = useCampaignLive((s) => s.dialer);
  const [startAt, setStartAt] = useState('');
  const [confirmStop, setConfirmStop] = useState(false);
  const [reviewLaunch, setReviewLaunch] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    void useCampaignLive.getState().load(client, campaign.id).catch((e: Error) => setMessage(e.message));
    void useCampaignLive.getState().loadDialer(client);
  }, [client, campaign.id, campaign.status]);

  const act = async (action: () => Promise<Campaign>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      useCampaigns.getState().upsert(await action());
      setConfirmStop(false);
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const id = campaign.id;
  const finished = counters ? Object.values(counters.finished).reduce((a, b) => a + b, 0) : 0;

  return (
    <section className="campaign-controls" data-testid="campaign-controls" aria-label="Campaign status">
      <div className="status-line">
        <span className={`badge status-${campaign.status}`} data-testid="campaign-status">
          {campaign.status}
        </span>
        {campaign.status === 'scheduled' && campaign.startAt && <span className="muted small">starts {new Date(campaign.startAt).toLocaleString()}</span>}
        {campaign.status === 'draft' && (
          <>
            <button type="button" className="primary" disabled={busy || reviewLaunch} onClick={() => setReviewLaunch(true)} data-testid="campaign-launch">
              Launch now…
            </button>
            <input type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.target.value)} aria-label="Start at" style={{ width: 'auto' }} />
            <button type="button" disabled={busy || !startAt} onClick={() => void act(() => client.call('campaigns.launch', { id, startAt: new Date(startAt).toISOString() }))}>
              Schedule
            </button>
          </>
        )}
        {campaign.status === 'running' && (
          <button type="button" disabled={busy} onClick={() => void act(() => client.call('campaigns.pause', { id }))} data-testid="campaign-pause">
            Pause
          </button>
        )}
        {campaign.status === 'paused' && (
          <button type="button" className="primary" disabled={busy} onClick={() => void act(() => client.call('campaigns.resume', { id }))} data-testid="campaign-resume">
            Resume
          </button>
        )}
        {['scheduled', 'running', 'paused'].includes(campaign.status) &&
          (confirmStop ? (
            <>
              <button type="button" className="danger" disabled={busy} onClick={() => void act(() => client.call('campaigns.stop', { id }))} data-testid="campaign-stop-confirm">
                Stop for good
              </button>
              <button type="button" className="ghost" onClick={() => setConfirmStop(false)}>
                Keep going
              </button>
            </>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmStop(true)} data-testid="campaign-stop">
              Stop
            </button>
          ))}
      </div>
      {campaign.status === 'draft' && reviewLaunch && (
        <LaunchSummaryPanel
          campaignId={id}
          busy={busy}
          onCancel={() => setReviewLaunch(false)}
          onLaunch={() => void act(() => client.call('campaigns.launch', { id })).then(() => setReviewLaunch(false))}
        />
      )}
      {dialer?.standby && <p className="banner">{dialer.standby}; this console shows its progress.</p>}
      {dialer && !dialer.telephony && dialer.mode !== 'off' && (
        <p className="banner">No telephony is configured in this Parley: campaigns cannot be launched until one is.</p>
      )}
      {message && (
        <p className="field-error" role="alert" data-testid="campaign-control-error">
          {message}
        </p>
      )}
      {counters && counters.enrolled > 0 && (
        <div className="counter-grid" data-testid="campaign-counters">
          <Counter label="Queued" value={counters.queued} id="queued" />
          <Counter label="Dialing" value={counters.dialing} id="dialing" />
          <Counter label="In call" value={counters.inCall} id="in-call" />
          <Counter label="Finished" value={finished} id="finished" />
          {OUTCOME_LABELS.filter(([key]) => counters.finished[key] > 0).map(([key, label]) => (
            <Counter key={key} label={label} value={counters.finished[key]} id={`finished-${key}`} />
          ))}
          <Counter label="DNC skipped" value={counters.dncSkipped} id="dnc" />
          {counters.consentSkipped > 0 && <Counter label="No consent" value={counters.consentSkipped} id="no-consent" />}
        </div>
      )}
      <CampaignAbandonment campaignId={campaign.id} />
      <BudgetPanel scope={campaign.id} />
      {history && history.length > 0 && (
        <ol className="history" data-testid="campaign-history">
          {history.map((t, i) => (
            <li key={i}>
              {new Date(t.at).toLocaleString()}: {t.from ?? 'new'} → {t.to} ({t.reason})
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Counter({ label, value, id }: { label: string; value: number; id: string }) {
  return (
    <div className="counter" data-testid={`counter-${id}`}>
      <strong>{value.toLocaleString()}</strong>
      <span>{label}</span>
    </div>
  );
}
