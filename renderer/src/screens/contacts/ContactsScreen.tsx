import { useEffect, useState } from 'react';
import type { Contact } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useContacts } from '../../store/contacts';
import { useNavigation } from '../../store/navigation';
import { ContactDetail } from './ContactDetail';
import { ContactList } from './ContactList';
import './contacts.css';
import { DncPanel } from './DncPanel';
import { downloadText } from '../../lib/download';
import { exportContacts } from './files';
import { ImportDialog } from './ImportDialog';

/** Contacts: search, a virtualized list of any size, import with preview and report, export, and the do-not-call list. */
export function ContactsScreen() {
  const client = useClient();
  const total = useContacts((s) => s.total);
  const error = useContacts((s) => s.error);
  const [search, setSearch] = useState(useContacts.getState().search);
  const [tab, setTab] = useState<'contacts' | 'dnc'>('contacts');
  const [importing, setImporting] = useState(false);
  const [selected, setSelected] = useState<Contact>();
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    useContacts.getState().reset(client);
  }, [client]);

  // Opened on one contact (from a call page, for example).
  const target = useNavigation((s) => s.target);
  useEffect(() => {
    if (target?.screen === 'contacts' && target.contactId) client.call('contacts.get', { id: target.contactId }).then(setSelected, () => undefined);
  }, [target, client]);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (search !== useContacts.getState().search) useContacts.getState().setSearch(client, search);
    }, 250);
    return () => clearTimeout(timer);
  }, [search, client]);

  const doExport = async () => {
    setExporting(true);
    try {
      downloadText(`contacts-${new Date().toISOString().slice(0, 10)}.csv`, await exportContacts(client));
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="contacts">
      <header className="pane-header">
        <h1>Contacts</h1>
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'contacts'} className={tab === 'contacts' ? 'active' : ''} onClick={() => setTab('contacts')}>
            All contacts {total !== undefined && <span className="muted" data-testid="contact-total">({total.toLocaleString()})</span>}
          </button>
          <button role="tab" aria-selected={tab === 'dnc'} className={tab === 'dnc' ? 'active' : ''} onClick={() => setTab('dnc')} data-testid="tab-dnc">
            Do-not-call list
          </button>
        </div>
        <div className="toolbar">
          {tab === 'contacts' && (
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search name, phone, email, company" aria-label="Search contacts" data-testid="contact-search" />
          )}
          <button className="primary" onClick={() => setImporting(true)} data-testid="open-import">
            Import…
          </button>
          <button onClick={() => void doExport()} disabled={exporting}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </header>
      {error && <p className="error">Could not load contacts: {error}</p>}
      {tab === 'contacts' ? (
        <div className={selected ? 'contacts-body' : 'contacts-body no-detail'}>
          <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
            <div className="list-head">
              <span>Name</span>
              <span>Phone</span>
              <span>Company</span>
              <span>Time zone (* inferred)</span>
              <span>Tags</span>
            </div>
            {total === 0 && <p className="muted placeholder">{search ? 'No contact matches.' : 'No contacts yet. Import a CSV to get started.'}</p>}
            <ContactList selected={selected?.id} onSelect={setSelected} />
          </div>
          {selected && <ContactDetail key={selected.id} contact={selected} onClose={() => setSelected(undefined)} onChanged={setSelected} />}
        </div>
      ) : (
        <DncPanel />
      )}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </div>
  );
}
