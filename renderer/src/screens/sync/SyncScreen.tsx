import { useCallback, useEffect, useState } from 'react';
import { roleAtLeast, type OutboxRow, type OutboxState, type Role, type SyncTarget } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { WebhooksPanel } from './WebhooksPanel';
import { useAction } from '../../lib/use-action';
import { CrmPanel } from './CrmPanel';
import './sync.css';

const STATES: Array<{ id: OutboxState | 'all'; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'pending', label: 'Pending' },
  { id: 'failing', label: 'Failing' },
  { id: 'dead', label: 'Dead-lettered' },
  { id: 'sent', label: 'Sent' },
];

const STATE_WORDS: Record<SyncTarget['state'], string> = {
  delivering: 'Delivering',
  idle: 'Up to date',
  offline: 'Cannot reach it: paused, retrying by itself',
  throttled: 'Asked to slow down: paused',
  'not-connected': 'Not connected: rows wait',
};

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

/** What Parley tells other systems: each target's queue, failures with the target's words, retry and replay. */
export function SyncScreen({ role }: { role: Role }) {
  const client = useClient();
  const [targets, setTargets] = useState<SyncTarget[]>([]);
  const [state, setState] = useState<OutboxState | 'all'>('all');
  const [rows, setRows] = useState<OutboxRow[]>([]);
  const [selected, setSelected] = useState<string>();
  const load = useCallback(async () => {
    const [status, list] = await Promise.all([client.call('sync.status', {}), client.call('sync.list', { limit: 100, ...(state === 'all' ? {} : { state }) })]);
    setTargets(status.targets);
    setRows(list.rows);
  }, [client, state]);
  // Every action reloads afterwards; a plain refresh is the empty action.
  const { problem, act } = useAction(load);
  const refresh = useCallback(() => act(async () => undefined), [act]);

  useEffect(() => {
    void refresh();
    return client.on('sync.changed', () => void refresh());
  }, [client, refresh]);

  return (
    <div className="sync-screen">
      <header className="pane-header">
        <h1>Sync</h1>
      </header>
      {problem && <p className="error">{problem}</p>}
      <ul className="sync-targets" data-testid="sync-targets">
        {targets.map((t) => (
          <li key={t.name} className={`sync-target ${t.state}`} data-testid="sync-target" data-target={t.name}>
            <div>
              <strong>{t.label}</strong>
              <div className="muted small" data-testid="sync-target-state">
                {STATE_WORDS[t.state]}
                {t.resumeAt !== null && ` until ${when(t.resumeAt)}`}
                {t.lastError && ` — ${t.lastError}`}
              </div>
            </div>
            <span className="sync-counts" data-testid="sync-counts">
              {t.pending} pending · {t.failing} failing · {t.dead} dead · {t.sent} sent
            </span>
            <button className="ghost" disabled={t.failing + t.dead === 0} onClick={() => act(() => client.call('sync.retry', { target: t.name }))} data-testid="sync-retry-all">
              Retry all
            </button>
          </li>
        ))}
      </ul>
      <div className="sync-filter" role="tablist">
        {STATES.map((s) => (
          <button key={s.id} className={state === s.id ? 'primary' : 'ghost'} onClick={() => setState(s.id)} data-testid={`sync-filter-${s.id}`}>
            {s.label}
          </button>
        ))}
      </div>
      <table className="sync-rows" data-testid="sync-rows">
        <thead>
          <tr>
            <th>Queued</th>
            <th>What</th>
            <th>To</th>
            <th>State</th>
            <th>Tries</th>
            <th>Last error</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="sync-row" data-state={row.state} onClick={() => setSelected(row.id === selected ? undefined : row.id)}>
              <td>{when(row.createdAt)}</td>
              <td>{row.kind}</td>
              <td>{targets.find((t) => t.name === row.target)?.label ?? row.target}</td>
              <td>{row.state}</td>
              <td>{row.attempts}</td>
              <td className="small">{row.lastError ?? ''}</td>
              <td>
                {(row.state === 'failing' || row.state === 'dead') && (
                  <button className="ghost" onClick={(e) => (e.stopPropagation(), act(() => client.call('sync.retry', { ids: [row.id] })))} data-testid="sync-row-retry">
                    Retry
                  </button>
                )}
                {row.state === 'sent' && (
                  <button className="ghost" onClick={(e) => (e.stopPropagation(), act(() => client.call('sync.replay', { ids: [row.id] })))} data-testid="sync-row-replay">
                    Send again
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted placeholder">Nothing here.</p>}
      {selected && <RowDetail id={selected} />}
      {roleAtLeast(role, 'admin') && <CrmPanel />}
      {roleAtLeast(role, 'admin') && <WebhooksPanel />}
    </div>
  );
}

function RowDetail({ id }: { id: string }) {
  const client = useClient();
  const [detail, setDetail] = useState<Awaited<ReturnType<typeof client.call<'sync.get'>>>>();
  useEffect(() => {
    void client.call('sync.get', { id }).then(setDetail, () => setDetail(undefined));
  }, [client, id]);
  if (!detail) return null;
  return (
    <section className="sync-detail" data-testid="sync-detail">
      <h2>
        {detail.kind} → {detail.target}
      </h2>
      <p className="small muted">
        Idempotency key {detail.idempotencyKey}
        {detail.remoteId && ` · created there as ${detail.remoteId}`}
      </p>
      <ol className="small">
        {detail.attempts.map((a, i) => (
          <li key={i}>
            {when(a.at)}: {a.ok ? 'delivered' : `failed: ${a.error ?? (a.status ? `HTTP ${a.status}` : '')}`} in {a.durationMs} ms
          </li>
        ))}
      </ol>
      <pre className="sync-payload">{JSON.stringify(detail.payload, null, 2)}</pre>
    </section>
  );
}
