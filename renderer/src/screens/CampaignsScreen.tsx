import { useEffect, useState } from 'react';
import { useNavigation } from '../store/navigation';
import { useClient } from '../ClientContext';
import { useLines } from '../store/lines';
import './lines/lines.css';
import { useCampaigns } from '../store/campaigns';
import { CampaignEditor } from './CampaignEditor';

/** Campaign list on the left, the selected (or new) campaign's editor on the right. */
export function CampaignsScreen() {
  const order = useCampaigns((s) => s.order);
  const byId = useCampaigns((s) => s.byId);
  const loaded = useCampaigns((s) => s.loaded);
  const loadError = useCampaigns((s) => s.error);
  const [selected, setSelected] = useState<string | 'new' | undefined>(undefined);
  const target = useNavigation((s) => s.target);
  useEffect(() => {
    if (target?.screen === 'campaigns' && target.campaignId) setSelected(target.campaignId);
  }, [target]);
  // A new campaign's editor is replaced by the saved campaign's; this carries its "Saved" across.
  const [createdId, setCreatedId] = useState<string>();
  const current = selected && selected !== 'new' ? byId[selected] : undefined;
  const client = useClient();
  const lines = useLines((s) => s.list);
  const simulatedLines = new Set(lines.filter((l) => l.dryRun).map((l) => l.id));
  useEffect(() => {
    void useLines.getState().load(client);
    return useLines.getState().follow(client);
  }, [client]);

  return (
    <div className="split">
      <section className="list-pane" aria-label="Campaigns">
        <header className="pane-header">
          <h1>Campaigns</h1>
          <button className="primary" data-testid="new-campaign" onClick={() => setSelected('new')}>
            New campaign
          </button>
        </header>
        {loadError && <p className="error">Could not load campaigns: {loadError}</p>}
        {loaded && order.length === 0 && <p className="muted">No campaigns yet. Create one to get started.</p>}
        <ul className="campaign-list" data-testid="campaign-list">
          {order.map((id) => {
            const c = byId[id]!;
            return (
              <li key={id}>
                <button
                  className={id === selected ? 'campaign-row selected' : 'campaign-row'}
                  data-testid="campaign-row"
                  onClick={() => setSelected(id)}
                >
                  <span className="campaign-name">{c.name}</span>
                  <span className={`badge status-${c.status}`}>{c.status}</span>
                  {c.direction === 'inbound' && <span className="badge">inbound</span>}
                  {c.lineId !== null && simulatedLines.has(c.lineId) && (
                    <span className="badge dry-run" data-testid="campaign-row-dry-run">
                      Dry run
                    </span>
                  )}
                  <span className="muted small">
                    {c.questions.length} question{c.questions.length === 1 ? '' : 's'}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <section className="detail-pane">
        {selected === 'new' && <CampaignEditor
            key="new"
            onSaved={(c) => {
              setCreatedId(c.id);
              setSelected(c.id);
            }}
            onDeleted={() => setSelected(undefined)}
          />}
        {current && (
          <CampaignEditor
            key={current.id}
            campaign={current}
            initialMessage={createdId === current.id ? 'Saved' : undefined}
            onSaved={() => undefined}
            onDeleted={() => setSelected(undefined)}
          />
        )}
        {!current && selected !== 'new' && <p className="muted placeholder">Select a campaign, or create a new one.</p>}
      </section>
    </div>
  );
}
