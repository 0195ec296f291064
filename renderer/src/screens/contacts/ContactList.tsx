import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Contact } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { CONTACT_PAGE, useContacts } from '../../store/contacts';

const ROW_HEIGHT = 44;

/** Every contact in one scrolling list: only visible rows are rendered, pages are fetched as they come into view. */
export function ContactList({ selected, onSelect }: { selected: string | undefined; onSelect(contact: Contact): void }) {
  const client = useClient();
  const total = useContacts((s) => s.total);
  const pages = useContacts((s) => s.pages);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    const wanted = new Set(items.map((item) => Math.floor(item.index / CONTACT_PAGE)));
    for (const page of wanted) void useContacts.getState().ensurePage(client, page);
  }, [items, client]);

  return (
    <div className="virtual-list" ref={parent} data-testid="contact-list" aria-label="Contacts" role="list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const contact = pages[Math.floor(item.index / CONTACT_PAGE)]?.[item.index % CONTACT_PAGE];
          return (
            <button
              key={item.key}
              role="listitem"
              className={contact && contact.id === selected ? 'contact-row selected' : 'contact-row'}
              style={{ top: item.start, height: item.size }}
              onClick={() => contact && onSelect(contact)}
              data-testid="contact-row"
            >
              {contact ? <Row contact={contact} /> : <span className="muted">Loading…</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

function Row({ contact }: { contact: Contact }) {
  return (
    <>
      <span className="cell">
        <strong>{contact.name || '(no name)'}</strong>
        {contact.dnc && <span className="tag dnc">DNC</span>}
      </span>
      <span className="cell">{contact.phone}</span>
      <span className="cell muted">{contact.company ?? ''}</span>
      <span className="cell muted" title={contact.timezoneInferred ? 'Inferred from the number' : undefined}>
        {contact.timezone ?? 'campaign default'}
        {contact.timezoneInferred ? ' *' : ''}
      </span>
      <span className="cell">
        {contact.tags.slice(0, 3).map((t) => (
          <span className="tag" key={t}>
            {t}
          </span>
        ))}
      </span>
    </>
  );
}
