import { useEffect, useState } from 'react';
import type { CallbackView } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { contactLocal } from './callback-time';

/** The contact's callbacks, open and past, on the contact's detail. */
export function ContactCallbacks({ contactId }: { contactId: string }) {
  const client = useClient();
  const [list, setList] = useState<CallbackView[]>();
  useEffect(() => {
    let live = true;
    const load = () => client.call('callbacks.list', { scope: 'all', contactId, include: 'all' }).then((l) => live && setList(l), () => undefined);
    void load();
    const off = client.on('callback.changed', (c) => {
      if (c.contactId === contactId) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [client, contactId]);
  if (!list || list.length === 0) return null;
  return (
    <section data-testid="contact-callbacks" aria-label="Callbacks">
      <h3>Callbacks</h3>
      <ul>
        {list.map((c) => (
          <li key={c.id} className="small">
            {contactLocal(c)} · {c.state} · {c.assignee ? c.assignee.name : 'the AI'} · asked by {c.requestedBy}
          </li>
        ))}
      </ul>
    </section>
  );
}
