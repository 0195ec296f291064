import { useCallback, useEffect, useMemo } from 'react';
import { Board } from './Board';
import { CallView } from './CallView';
import { ALL_CAMPAIGNS, liveCampaigns, visibleCalls } from './console-model';
import { useConsole } from './console-store';
import { useIdentity } from './identity';
import { shortcutFor, withShortcut } from './shortcuts';
import { SoftphonePanel } from './SoftphonePanel';
import { DeskPhone } from '../../phone/DeskPhone';
import { EndedCalls } from './EndedCalls';
import { WaitingQueue } from './WaitingQueue';
import './console.css';

/** The desk agent's live console: every AI call on a board, one call open beside it. */
export function ConsoleScreen() {
  const selectedId = useConsole((s) => s.selectedId);
  const select = useConsole((s) => s.select);
  const filter = useConsole((s) => s.filter);
  const setFilter = useConsole((s) => s.setFilter);
  const alertSound = useConsole((s) => s.alertSound);
  const notice = useConsole((s) => s.notice);
  const count = useConsole((s) => s.order.length);
  const alerting = useConsole((s) => s.order.filter((id) => (s.calls[id]?.alerts.length ?? 0) > 0).length);
  const campaignsKey = useConsole((s) => JSON.stringify(liveCampaigns(s.calls)));
  const campaigns = useMemo(() => JSON.parse(campaignsKey) as Array<{ id: string; name: string }>, [campaignsKey]);
  const name = useIdentity((s) => s.name);
  const onSelect = useCallback((callId: string) => select(callId), [select]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor(event);
      if (action !== 'next' && action !== 'previous') return;
      event.preventDefault();
      const state = useConsole.getState();
      const ids = visibleCalls(state, state.filter);
      if (ids.length === 0) return;
      const at = state.selectedId ? ids.indexOf(state.selectedId) : -1;
      const next = action === 'next' ? Math.min(ids.length - 1, at + 1) : Math.max(0, at - 1);
      state.select(ids[next]!);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="console" data-testid="console">
      <header className="pane-header console-header">
        <h1>
          Live calls <span className="muted small" data-testid="live-count">{count}</span>
          {alerting > 0 && <span className="alert-count" title="Calls with an alert">{alerting}</span>}
        </h1>
        <label className="small who">
          You are
          <strong data-testid="supervisor-name">{name}</strong>
        </label>
        <div className="filters">
          <select value={filter.campaignId} onChange={(e) => setFilter({ campaignId: e.target.value })} aria-label="Campaign" data-testid="filter-campaign">
            <option value={ALL_CAMPAIGNS}>All campaigns</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <select value={filter.sort} onChange={(e) => setFilter({ sort: e.target.value as typeof filter.sort })} aria-label="Sort" data-testid="sort">
            <option value="started">Newest last</option>
            <option value="campaign">By campaign</option>
            <option value="alerts">Alerts first</option>
          </select>
          <label className="small check">
            <input type="checkbox" checked={filter.alertsOnly} onChange={(e) => setFilter({ alertsOnly: e.target.checked })} data-testid="filter-alerts" />
            Alerts only
          </label>
          <label className="small check" title="Play a chime when an alert is raised">
            <input type="checkbox" checked={alertSound} onChange={(e) => useConsole.getState().setAlertSound(e.target.checked)} />
            Sound
          </label>
        </div>
        <SoftphonePanel />
        <DeskPhone />
      </header>
      {notice && (
        <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="console-notice">
          {notice.text}
          <button type="button" className="ghost" onClick={() => useConsole.getState().clearNotice()}>
            Dismiss
          </button>
        </div>
      )}
      <WaitingQueue />
      <div className="console-body">
        <div className="board-column">
          <Board onSelect={onSelect} />
          <EndedCalls onSelect={onSelect} />
        </div>
        {selectedId ? (
          <CallView key={selectedId} callId={selectedId} />
        ) : (
          <section className="call-view placeholder muted">
            Select a call to see its transcript and controls. {withShortcut('Next call', 'next')}, {withShortcut('previous call', 'previous')}.
          </section>
        )}
      </div>
    </div>
  );
}
