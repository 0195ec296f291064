import { useCallback, useEffect, useState } from 'react';
import { AuditAction, type AuditEntry, type AuditFilter } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { downloadText } from '../../lib/download';

/** The audit log (admin): who did what, when, from where; filters and a CSV export. */
export function AuditScreen() {
  const client = useClient();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    client
      .call('audit.list', { ...filter, limit: 200 })
      .then((page) => {
        setEntries(page.entries);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [client, filter]);
  useEffect(reload, [reload]);

  const exportCsv = async () => {
    try {
      const file = await client.call('audit.exportCsv', filter);
      downloadText(file.filename, file.csv);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const day = (value: string, end: boolean) => (value ? new Date(`${value}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);

  return (
    <div className="screen-pad">
      <h1>Audit</h1>
      <div className="filters" aria-label="Filters">
        <input aria-label="User" placeholder="User" data-testid="audit-actor" onChange={(e) => setFilter({ ...filter, actor: e.target.value.trim() || undefined })} />
        <select aria-label="Action" data-testid="audit-action" onChange={(e) => setFilter({ ...filter, action: (e.target.value || undefined) as AuditAction | undefined })}>
          <option value="">All actions</option>
          {AuditAction.options.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <input aria-label="From" type="date" onChange={(e) => setFilter({ ...filter, from: day(e.target.value, false) })} />
        <input aria-label="To" type="date" onChange={(e) => setFilter({ ...filter, to: day(e.target.value, true) })} />
        <button onClick={() => void exportCsv()} data-testid="audit-export">
          Export CSV
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>From</th>
            <th>Action</th>
            <th>Target</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-testid="audit-row">
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.actor}</td>
              <td>{e.origin}</td>
              <td>{e.action}</td>
              <td>{e.target}</td>
              <td className="small">{Object.keys(e.detail).length ? JSON.stringify(e.detail) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
