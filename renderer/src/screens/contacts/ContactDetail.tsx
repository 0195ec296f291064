import { DncRemoval } from './DncRemoval';
import { useState } from 'react';
import type { Contact } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useContacts } from '../../store/contacts';
import { ContactCallResults } from './ContactCallResults';
import { ContactConsent } from './ContactConsent';
import { useSession } from '../../store/session';
import { ErasePerson } from '../review/ErasePerson';
import { ContactCallbacks } from '../callbacks/ContactCallbacks';
import { useDeskPhone } from '../../phone/desk-phone-store';

/** One contact's fields and call history summary, with do-not-call and tag editing. */
export function ContactDetail({ contact, onClose, onChanged }: { contact: Contact; onClose(): void; onChanged(contact: Contact): void }) {
  const client = useClient();
  const [tags, setTags] = useState(contact.tags.join(', '));
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const isAdmin = useSession((s) => s.user?.role === 'admin');
  const phoneReady = useDeskPhone((s) => s.status === 'ready');

  const run = async (work: () => Promise<Contact>, done: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const updated = await work();
      useContacts.getState().replace(updated);
      onChanged(updated);
      setMessage(done);
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="contact-detail" data-testid="contact-detail" aria-label="Contact">
      <div className="actions">
        <h2 style={{ margin: 0, flex: 1 }}>{contact.name || '(no name)'}</h2>
        <button className="ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      <dl>
        <dt>Phone</dt>
        <dd>
          {contact.phone}{' '}
          {phoneReady && !contact.dnc && (
            <button type="button" className="ghost small" onClick={() => void useDeskPhone.getState().dial(contact.phone)} data-testid="call-from-my-phone">
              Call from my phone
            </button>
          )}
        </dd>
        <dt>Email</dt>
        <dd>{contact.email ?? '—'}</dd>
        <dt>Company</dt>
        <dd>{contact.company ?? '—'}</dd>
        <dt>Time zone</dt>
        <dd>
          {contact.timezone ?? 'campaign default'}
          {contact.timezoneInferred && <span className="muted"> (inferred from the number)</span>}
        </dd>
        <dt>Calls</dt>
        <dd>
          {contact.attemptCount === 0
            ? 'Never called'
            : `${contact.attemptCount}, last ${contact.lastContactedAt?.slice(0, 16).replace('T', ' ')} (${contact.lastOutcome ?? 'in progress'})`}
        </dd>
        {Object.entries(contact.custom).map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <label className="small">
        Tags (comma-separated)
        <input value={tags} onChange={(e) => setTags(e.target.value)} data-testid="contact-tags" />
      </label>
      <div className="actions">
        <button
          disabled={busy}
          onClick={() =>
            void run(
              () => client.call('contacts.update', { id: contact.id, patch: { tags: tags.split(',').map((t) => t.trim()).filter(Boolean) } }),
              'Tags saved',
            )
          }
        >
          Save tags
        </button>
        {contact.dnc ? (
          <span data-testid="contact-dnc-remove">
            <DncRemoval
              phone={contact.phone}
              label="Allow calls again"
              onRemoved={() => void run(() => client.call('contacts.get', { id: contact.id }), 'Removed from the do-not-call list')}
            />
          </span>
        ) : (
          <button
            className="danger"
            disabled={busy}
            data-testid="contact-dnc-add"
            onClick={() =>
              void run(async () => {
                await client.call('dnc.add', { contactId: contact.id, source: 'console', reason: 'Marked in the console' });
                return client.call('contacts.get', { id: contact.id });
              }, 'Added to the do-not-call list')
            }
          >
            Do not call
          </button>
        )}
      </div>
      {message && (
        <span role="status" className="small" data-testid="contact-message">
          {message}
        </span>
      )}
      <ContactConsent contactId={contact.id} />
      <ContactCallbacks contactId={contact.id} />
      <ContactCallResults contactId={contact.id} />
      {isAdmin && (
        <ErasePerson
          contactId={contact.id}
          onErased={() => {
            useContacts.getState().reset(client);
            onClose();
          }}
        />
      )}
    </aside>
  );
}
