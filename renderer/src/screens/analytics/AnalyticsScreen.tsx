import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallAnalysis, Dashboard } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useCampaigns } from '../../store/campaigns';
import { downloadText } from '../../lib/download';
import { AttemptsCard, BestHoursCard, EmotionsCard, FunnelCard, LatencyCard, OutcomesCard, VariantsCard } from './DashboardCharts';
import { LatestResultsCard } from './LatestResultsCard';
import { AbandonmentCard } from '../compliance/AbandonmentRate';
import { LiveEmotionPanel } from './LiveEmotionPanel';
import './analytics.css';

/** The console's own UTC offset, so hours and whole days are the manager's, not UTC's. */
const tzOffsetMinutes = () => -new Date().getTimezoneOffset();

/** Campaign dashboard: funnel, outcomes, hours, attempts, A/B, emotion, latency, cost; CSV export. */
export function AnalyticsScreen() {
  const client = useClient();
  const order = useCampaigns((s) => s.order);
  const byId = useCampaigns((s) => s.byId);
  const [campaignId, setCampaignId] = useState<string>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [runs, setRuns] = useState<'all' | 'real' | 'dry'>('all');
  const [dashboard, setDashboard] = useState<Dashboard>();
  const [results, setResults] = useState<CallAnalysis[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Filters change faster than answers arrive: only the newest request may update the screen.
  const latestRequest = useRef(0);
  const selected = campaignId || order[0] || '';

  const filter = useCallback(
    () => ({ campaignId: selected, tzOffsetMinutes: tzOffsetMinutes(), runs, ...(from ? { from } : {}), ...(to ? { to } : {}) }),
    [selected, from, to, runs],
  );

  const load = useCallback(async () => {
    if (!selected) return;
    const request = ++latestRequest.current;
    setBusy(true);
    setError(undefined);
    try {
      const [result, latest] = await Promise.all([client.call('analytics.dashboard', filter()), client.call('analysis.list', { ...filter(), limit: 20 })]);
      if (request === latestRequest.current) {
        setDashboard(result);
        setResults(latest);
      }
    } catch (e) {
      if (request === latestRequest.current) setError((e as Error).message);
    } finally {
      if (request === latestRequest.current) setBusy(false);
    }
  }, [client, filter, selected]);

  useEffect(() => {
    void load();
  }, [load]);

  // A call of this campaign was just analysed: refresh the figures (at most once a second).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = client.on('call.analyzed', (analysis) => {
      if (analysis.campaignId !== selected || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void load();
      }, 1_000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, load, selected]);

  const exportCsv = async (kind: 'calls' | 'results') => {
    setError(undefined);
    try {
      // Page by page: each is a small piece of work for the engine, however long the range.
      const parts: string[] = [];
      let filename = '';
      let after: { at: number; id: string } | undefined;
      for (;;) {
        const page = await client.call('analytics.exportCsv', { ...filter(), kind, ...(after ? { after } : {}) });
        filename = page.filename;
        parts.push(page.csv);
        if (!page.next) break;
        after = page.next;
      }
      downloadText(filename, parts);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="analytics" data-testid="analytics-screen">
      <header className="pane-header analytics-header">
        <h1>Analytics</h1>
        <div className="filters">
          <label>
            Campaign
            <select data-testid="analytics-campaign" value={selected} onChange={(e) => setCampaignId(e.target.value)}>
              {order.map((id) => (
                <option key={id} value={id}>
                  {byId[id]!.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" data-testid="analytics-from" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" data-testid="analytics-to" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label>
            Calls
            <select data-testid="analytics-runs" value={runs} onChange={(e) => setRuns(e.target.value as typeof runs)}>
              <option value="all">Real calls and dry runs</option>
              <option value="real">Real calls only</option>
              <option value="dry">Dry runs only</option>
            </select>
          </label>
          <button onClick={() => void load()} disabled={busy || !selected}>
            Refresh
          </button>
          <button data-testid="export-calls" onClick={() => void exportCsv('calls')} disabled={!selected}>
            Export calls CSV
          </button>
          <button data-testid="export-results" onClick={() => void exportCsv('results')} disabled={!selected}>
            Export results CSV
          </button>
        </div>
      </header>
      {error && <p className="error analytics-error" role="alert">{error}</p>}
      {!selected && <p className="muted placeholder">Create a campaign to see its analytics.</p>}
      <div className="dashboard-grid">
        <LiveEmotionPanel />
        <AbandonmentCard names={Object.fromEntries(order.map((id) => [id, byId[id]!.name]))} />
        {dashboard && dashboard.campaignId === selected && (
          <>
            <section className="card wide tiles" aria-label="Summary">
              <Tile label="Range" value={`${dashboard.range.from ?? 'first call'} – ${dashboard.range.to ?? 'today'}`} testId="dashboard-range" />
              <Tile label="Calls dialed" value={dashboard.funnel.dialed.toLocaleString()} testId="tile-dialed" />
              <Tile label="Answer rate" value={dashboard.funnel.dialed ? `${((dashboard.funnel.answered / dashboard.funnel.dialed) * 100).toFixed(1)}%` : '–'} />
              <Tile label="Avg. satisfaction" value={dashboard.quality.averageCsat === null ? '–' : `${dashboard.quality.averageCsat.toFixed(1)} / 5`} />
              <Tile label="Avg. qualification" value={dashboard.quality.averageQualification === null ? '–' : `${Math.round(dashboard.quality.averageQualification * 100)}%`} />
              <Tile label="Cost per call" value={dashboard.cost ? `$${dashboard.cost.perCallUsd.toFixed(3)}` : 'no costs recorded'} testId="tile-cost" />
              {dashboard.cost && <Tile label="Total cost" value={`$${dashboard.cost.totalUsd.toFixed(2)}`} testId="tile-cost-total" />}
              {dashboard.cost?.perReachedUsd != null && <Tile label="Cost per contact reached" value={`$${dashboard.cost.perReachedUsd.toFixed(3)}`} testId="tile-cost-reached" />}
              {dashboard.cost?.perConversionUsd != null && <Tile label="Cost per conversion" value={`$${dashboard.cost.perConversionUsd.toFixed(2)}`} testId="tile-cost-conversion" />}
              <Tile label="Query time" value={`${dashboard.queryMs.toFixed(0)} ms`} testId="tile-query-ms" />
            </section>
            {dashboard.cost && dashboard.cost.byDay.length > 1 && (
              <section className="card" aria-label="Cost per day" data-testid="cost-by-day">
                <h2>Cost per day</h2>
                <table>
                  <tbody>
                    {dashboard.cost.byDay.map((d) => (
                      <tr key={d.day}>
                        <td>{d.day}</td>
                        <td>{d.calls} calls</td>
                        <td>${d.totalUsd.toFixed(2)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
            <FunnelCard funnel={dashboard.funnel} />
            <OutcomesCard outcomes={dashboard.outcomes} />
            <EmotionsCard emotions={dashboard.emotions} />
            <BestHoursCard hours={dashboard.bestHours} />
            <VariantsCard variants={dashboard.variants} />
            <AttemptsCard attempts={dashboard.attemptsPerContact} />
            <LatencyCard latency={dashboard.latency} />
            <LatestResultsCard results={results} />
          </>
        )}
      </div>
    </div>
  );
}

function Tile({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="tile">
      <span className="muted small">{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}
