import { useEffect, useState } from 'react';
import { useClient } from '../../ClientContext';
import { useSegments } from '../../store/segments';
import { SegmentEditor } from './SegmentEditor';
import './segments.css';

/** Saved contact filters, with live counts; campaigns call the contacts of one segment. */
export function SegmentsScreen() {
  const client = useClient();
  const list = useSegments((s) => s.list);
  const loaded = useSegments((s) => s.loaded);
  const error = useSegments((s) => s.error);
  const [selected, setSelected] = useState<string | 'new'>();
  const [fields, setFields] = useState<{ tags: Array<{ tag: string; count: number }>; customFields: string[] }>({ tags: [], customFields: [] });
  const current = selected && selected !== 'new' ? list.find((s) => s.id === selected) : undefined;

  useEffect(() => {
    void useSegments.getState().load(client);
    client
      .call('contacts.fields', {})
      .then(setFields)
      .catch(() => undefined);
  }, [client]);

  return (
    <div className="split">
      <section className="list-pane" aria-label="Segments">
        <header className="pane-header">
          <h1>Segments</h1>
          <button className="primary" onClick={() => setSelected('new')} data-testid="new-segment">
            New segment
          </button>
        </header>
        {error && <p className="error">Could not load segments: {error}</p>}
        {loaded && list.length === 0 && <p className="muted placeholder">No segments yet. A segment picks who a campaign calls.</p>}
        <ul className="campaign-list" data-testid="segment-list">
          {list.map((s) => (
            <li key={s.id}>
              <button className={s.id === selected ? 'campaign-row selected' : 'campaign-row'} onClick={() => setSelected(s.id)} data-testid="segment-row">
                <span className="campaign-name">{s.name}</span>
                <span className="badge">{s.count.toLocaleString()}</span>
                <span className="muted small">{s.callable.toLocaleString()} callable</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="detail-pane">
        {selected === 'new' && <SegmentEditor key="new" fields={fields} onSaved={(s) => setSelected(s.id)} onDeleted={() => setSelected(undefined)} />}
        {current && <SegmentEditor key={current.id} segment={current} fields={fields} onSaved={() => undefined} onDeleted={() => setSelected(undefined)} />}
        {!current && selected !== 'new' && <p className="muted placeholder">Select a segment, or create a new one.</p>}
      </section>
    </div>
  );
}
