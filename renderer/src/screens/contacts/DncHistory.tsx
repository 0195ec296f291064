import { useEffect, useState } from 'react';
import type { DncHistoryEntry } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** Every add and removal of one number: who, when, why and from where. Reloads when `version` changes. */
export function DncHistory({ phone, version }: { phone: string; version: number }) {
  const client = useClient();
  const [entries, setEntries] = useState<DncHistoryEntry[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    client
      .call('dnc.history', { phone })
      .then((r) => live && setEntries(r.entries))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [client, phone, version]);
  if (error) return <p className="error">{error}</p>;
  if (!entries) return <p className="muted small">Loading history…</p>;
  if (entries.length === 0) return <p className="muted small">No history for this number.</p>;
  return (
    <table className="report-table dnc-history" data-testid="dnc-history" aria-label={`History of ${phone}`}>
      <thead>
        <tr>
          <th>When</th>
          <th>Change</th>
          <th>By</th>
          <th>Why</th>
          <th>Source</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e, i) => (
          <tr key={i} data-testid="dnc-history-entry">
            <td>{e.at.slice(0, 16).replace('T', ' ')}</td>
            <td>{e.action === 'add' ? 'Added' : 'Removed'}</td>
            <td>{e.actor}</td>
            <td>{e.reason || '—'}</td>
            <td>{e.source}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
