import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { DncHistory } from './DncHistory';
import { DncListImport } from './DncListImport';
import { DncRemoval } from './DncRemoval';
import type { DncEntry } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** The do-not-call list: add a number by hand or import a list file, search, see each number's history, remove (with a reason). */
export function DncPanel() {
  const client = useClient();
  const [entries, setEntries] = useState<DncEntry[]>([]);
  const [total, setTotal] = useState(0);
  const [search, setSearch] = useState('');
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  const [opened, setOpened] = useState<string>();
  const [lookup, setLookup] = useState('');
  const [lookedUp, setLookedUp] = useState<string>();

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
      <DncListImport onImported={() => setVersion((v) => v + 1)} />
      <form
        className="dnc-add"
        onSubmit={(event) => {
          event.preventDefault();
          setLookedUp(lookup.trim() || undefined);
        }}
      >
        <input value={lookup} onChange={(e) => setLookup(e.target.value)} placeholder="Any number, listed or removed" aria-label="Number whose history to show" data-testid="dnc-lookup" />
        <button type="submit" data-testid="dnc-lookup-show">
          Show its history
        </button>
      </form>
      {lookedUp && <DncHistory phone={lookedUp} version={version} />}
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
            <Fragment key={e.phone}>
              <tr data-testid="dnc-row">
                <td>{e.phone}</td>
                <td>{e.reason}</td>
                <td>{e.source}</td>
                <td>{e.addedAt.slice(0, 16).replace('T', ' ')}</td>
                <td className="row-actions">
                  <button className="ghost" aria-expanded={opened === e.phone} onClick={() => setOpened(opened === e.phone ? undefined : e.phone)} data-testid="dnc-history-toggle">
                    History
                  </button>
                  <DncRemoval phone={e.phone} label="Remove" onRemoved={() => setVersion((v) => v + 1)} />
                </td>
              </tr>
              {opened === e.phone && (
                <tr>
                  <td colSpan={5}>
                    <DncHistory phone={e.phone} version={version} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
}
