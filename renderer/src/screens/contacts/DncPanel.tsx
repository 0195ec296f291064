import { DncRemoval } from './DncRemoval';
import { useEffect, useState, type FormEvent } from 'react';
import type { DncEntry } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** The do-not-call list: add a number by hand, search, remove. */
export function DncPanel() {
  const client = useClient();
  const [entries, setEntries] = useState<DncEntry[]>([]);
  const [total, setTotal] = useState(0);
  const [search, setSearch] = useState('');
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    const digits = search.replace(/\D/g, '');
    client
      .call('dnc.list', { search: digits, limit: 200 })
      .then((r) => {
        if (!live) return;
        setEntries(r.entries);
        setTotal(r.total);
      })
      .catch((e: Error) => live && setError(e.message));
    const off = client.on('dnc.changed', () => setVersion((v) => v + 1));
    return () => {
      live = false;
      off();
    };
  }, [client, search, version]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!phone.trim()) return setError('Enter a phone number');
    try {
      await client.call('dnc.add', { phone, reason, source: 'console' });
      setPhone('');
      setReason('');
      setVersion((v) => v + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="dnc-panel" data-testid="dnc-panel">
      <form className="dnc-add" onSubmit={add} noValidate>
        <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="Phone number" aria-label="Phone number" data-testid="dnc-phone" />
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason (optional)" aria-label="Reason" />
        <button className="primary" type="submit" data-testid="dnc-add">
          Add to do-not-call list
        </button>
        {error && (
          <span className="field-error" role="alert" data-testid="dnc-error">
            {error}
          </span>
        )}
      </form>
      <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search by digits" aria-label="Search the do-not-call list" />
      <p className="muted small">{total.toLocaleString()} numbers on the list</p>
      <table className="report-table" data-testid="dnc-table">
        <thead>
          <tr>
            <th>Number</th>
            <th>Reason</th>
            <th>Source</th>
            <th>Added</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.phone}>
              <td>{e.phone}</td>
              <td>{e.reason}</td>
              <td>{e.source}</td>
              <td>{e.addedAt.slice(0, 16).replace('T', ' ')}</td>
              <td>
                <DncRemoval phone={e.phone} label="Remove" onRemoved={() => setVersion((v) => v + 1)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
