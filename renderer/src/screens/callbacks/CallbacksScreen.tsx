import { useEffect, useState } from 'react';
import type { CallbackView } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { CallbackRow } from './CallbackRow';
import { groupOf, type CallbackGroup } from './callback-time';

const GROUPS: Array<{ id: CallbackGroup; label: string }> = [
  { id: 'overdue', label: 'Overdue' },
  { id: 'due', label: 'Due now' },
  { id: 'upcoming', label: 'Upcoming' },
];

/** The callbacks queue: every open callback, the AI's and the desk agents', by when it is due. */
export function CallbacksScreen() {
  const client = useClient();
  const [scope, setScope] = useState<'mine' | 'all'>('all');
  const [list, setList] = useState<CallbackView[]>();
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let live = true;
    const load = () =>
      client.call('callbacks.list', { scope }).then(
        (l) => live && setList(l),
        (e: Error) => live && setError(e.message),
      );
    void load();
    const off = client.on('callback.changed', () => void load());
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, [client, scope]);

  const replace = (c: CallbackView) => setList((l) => (l ?? []).map((x) => (x.id === c.id ? c : x)).filter((x) => groupOf(x, now) !== 'closed'));
  return (
    <div className="callbacks-screen" data-testid="callbacks-screen">
      <header className="pane-header">
        <h1>Callbacks</h1>
        <select value={scope} onChange={(e) => setScope(e.target.value as 'mine' | 'all')} aria-label="Whose callbacks" data-testid="callbacks-scope">
          <option value="all">All callbacks</option>
          <option value="mine">Assigned to me</option>
        </select>
      </header>
      {error && <p className="field-error">{error}</p>}
      {list?.length === 0 && <p className="muted">No callbacks are waiting.</p>}
      {GROUPS.map((g) => {
        const items = (list ?? []).filter((c) => groupOf(c, now) === g.id);
        if (items.length === 0) return null;
        return (
          <section key={g.id} data-testid={`callbacks-${g.id}`}>
            <h2>
              {g.label} <span className="muted small">{items.length}</span>
            </h2>
            <ul className="callback-list">
              {items.map((c) => (
                <CallbackRow key={c.id} callback={c} onChanged={replace} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
