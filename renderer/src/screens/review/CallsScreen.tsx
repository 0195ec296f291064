import { useCallback, useEffect, useRef, useState } from 'react';
import { EMOTION_LABEL_TEXT, type Campaign, type CallListRow, type CallsCursor, type CallsFilter, type CallsSort, type SavedView } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { downloadText } from '../../lib/download';
import { useNavigation } from '../../store/navigation';
import { CallList } from './CallList';
import { CallPage } from './CallPage';
import './review.css';

const PAGE = 100;

/** Calls: every call ever placed or received, filtered, searched, sorted; opens a call's page when the target names one. */
export function CallsScreen() {
  const target = useNavigation((s) => s.target);
  const go = useNavigation((s) => s.go);
  if (target?.screen === 'calls' && target.callId) return <CallPage key={target.callId} callId={target.callId} onBack={() => go({ screen: 'calls' })} />;
  return <CallsBrowser onOpen={(row) => go({ screen: 'calls', callId: row.id })} />;
}

function CallsBrowser({ onOpen }: { onOpen(row: CallListRow): void }) {
  const client = useClient();
  const [filter, setFilter] = useState<CallsFilter>(() => lastQuery.filter);
  const [sort, setSort] = useState<CallsSort>(() => lastQuery.sort);
  const [search, setSearch] = useState(filter.search ?? '');
  const [rows, setRows] = useState<CallListRow[]>([]);
  const [next, setNext] = useState<CallsCursor | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [views, setViews] = useState<SavedView[]>([]);
  const [exporting, setExporting] = useState(false);
  const generation = useRef(0);

  useEffect(() => {
    client.call('campaigns.list', {}).then(setCampaigns, () => undefined);
    client.call('views.list', {}).then(setViews, () => undefined);
  }, [client]);

  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => ((f.search ?? '') === search ? f : { ...f, search: search || undefined })), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const load = useCallback(
    async (after: CallsCursor | null) => {
      const mine = after ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const page = await client.call('calls.list', { filter, sort, limit: PAGE, ...(after ? { after } : {}) });
        if (mine !== generation.current) return;
        setRows((current) => (after ? [...current, ...page.rows] : page.rows));
        setNext(page.next);
        setError(null);
      } catch (e) {
        if (mine === generation.current) setError((e as Error).message);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [client, filter, sort],
  );

  useEffect(() => {
    lastQuery = { filter, sort };
    void load(null);
  }, [load]);

  const set = <K extends keyof CallsFilter>(key: K, value: CallsFilter[K] | '' | undefined) =>
    setFilter((f) => {
      const copy = { ...f };
      if (value === '' || value === undefined) delete copy[key];
      else copy[key] = value as CallsFilter[K];
      return copy;
    });

  const exportCsv = async () => {
    setExporting(true);
    try {
      const parts: string[] = [];
      let after: CallsCursor | undefined;
      for (;;) {
        const page = await client.call('calls.exportPage', { filter, sort, ...(after ? { after } : {}) });
        parts.push(page.csv);
        if (!page.next) break;
        after = page.next;
      }
      downloadText(`calls-${new Date().toISOString().slice(0, 10)}.csv`, parts);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setExporting(false);
    }
  };

  const saveView = async () => {
    const name = prompt('Name this view');
    if (!name) return;
    await client.call('views.save', { name, query: { filter, sort } });
    setViews(await client.call('views.list', {}));
  };

  const num = (v: string) => (v === '' ? undefined : Number(v));

  return (
    <div className="calls-screen">
      <header className="pane-header">
        <h1>Calls</h1>
        <div className="toolbar">
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder='Search transcripts: words or "a phrase"' aria-label="Search transcripts" data-testid="calls-search" />
          <select value={sort} onChange={(e) => setSort(e.target.value as CallsSort)} aria-label="Sort">
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
            <option value="longest">Longest</option>
            <option value="shortest">Shortest</option>
            <option value="score">Lead score</option>
          </select>
          <select
            value=""
            aria-label="Saved views"
            onChange={(e) => {
              const view = views.find((v) => v.id === e.target.value);
              if (!view) return;
              setFilter(view.query.filter ?? { runs: 'all' });
              setSearch(view.query.filter?.search ?? '');
              setSort(view.query.sort ?? 'newest');
            }}
          >
            <option value="">Saved views…</option>
            {views.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
          <button onClick={() => void saveView()}>Save view</button>
          {views.length > 0 && (
            <select
              value=""
              aria-label="Delete a saved view"
              onChange={(e) => {
                const id = e.target.value;
                if (id) void client.call('views.delete', { id }).then(() => client.call('views.list', {})).then(setViews);
              }}
            >
              <option value="">Delete a view…</option>
              {views.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          )}
          <button onClick={() => void exportCsv()} disabled={exporting}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
        <div className="calls-filters">
          <select value={filter.campaignId ?? ''} onChange={(e) => set('campaignId', e.target.value)} aria-label="Campaign">
            <option value="">All campaigns</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <input placeholder="Line id" value={filter.lineId ?? ''} onChange={(e) => set('lineId', e.target.value)} aria-label="Line" />
          <label>
            From <input type="date" value={filter.from ?? ''} onChange={(e) => set('from', e.target.value)} />
          </label>
          <label>
            To <input type="date" value={filter.to ?? ''} onChange={(e) => set('to', e.target.value)} />
          </label>
          <input placeholder="Outcome" value={filter.outcome ?? ''} onChange={(e) => set('outcome', e.target.value)} aria-label="Outcome" />
          <select value={filter.direction ?? ''} onChange={(e) => set('direction', e.target.value as 'inbound' | 'outbound' | '')} aria-label="Direction">
            <option value="">In and out</option>
            <option value="outbound">Outbound</option>
            <option value="inbound">Inbound</option>
          </select>
          <input type="number" min={0} placeholder="Min s" value={filter.minDurationS ?? ''} onChange={(e) => set('minDurationS', num(e.target.value))} aria-label="Shortest duration (seconds)" />
          <input type="number" min={0} placeholder="Max s" value={filter.maxDurationS ?? ''} onChange={(e) => set('maxDurationS', num(e.target.value))} aria-label="Longest duration (seconds)" />
          <input type="number" min={0} max={1} step={0.1} placeholder="Score ≥" value={filter.minScore ?? ''} onChange={(e) => set('minScore', num(e.target.value))} aria-label="Lowest lead score" />
          <select value={filter.emotion ?? ''} onChange={(e) => set('emotion', e.target.value as CallsFilter['emotion'] | '')} aria-label="Emotion">
            <option value="">Any emotion</option>
            {Object.entries(EMOTION_LABEL_TEXT).map(([label, text]) => (
              <option key={label} value={label}>
                {text}
              </option>
            ))}
          </select>
          <input placeholder="Variant" value={filter.variant ?? ''} onChange={(e) => set('variant', e.target.value)} aria-label="Variant" />
          <select value={filter.tookOver === undefined ? '' : String(filter.tookOver)} onChange={(e) => set('tookOver', e.target.value === '' ? undefined : e.target.value === 'true')} aria-label="A person took over">
            <option value="">Taken over or not</option>
            <option value="true">A person took over</option>
            <option value="false">AI only</option>
          </select>
          <select value={filter.runs ?? 'all'} onChange={(e) => set('runs', e.target.value as 'all' | 'real' | 'dry')} aria-label="Dry runs">
            <option value="all">Real calls and dry runs</option>
            <option value="real">Real calls</option>
            <option value="dry">Dry runs</option>
          </select>
        </div>
      </header>
      {error && <p className="error">{error}</p>}
      <div className="list-head calls-head">
        <span>When</span>
        <span>Campaign</span>
        <span>Contact</span>
        <span>Direction</span>
        <span>Outcome</span>
        <span>Duration</span>
        <span>Score</span>
        <span>Audio</span>
      </div>
      {!loading && rows.length === 0 && <p className="muted placeholder">{filter.search ? 'No call says that.' : 'No calls match.'}</p>}
      <CallList rows={rows} more={next !== null} loading={loading} onMore={() => next && void load(next)} onOpen={onOpen} />
    </div>
  );
}

/** The list's query survives opening a call and coming back. */
let lastQuery: { filter: CallsFilter; sort: CallsSort } = { filter: { runs: 'all' }, sort: 'newest' };
