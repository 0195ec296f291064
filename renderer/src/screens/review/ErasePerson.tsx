import { useState } from 'react';
import type { ErasureReport } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** Right to erasure (admins): shows what will go, asks for the word ERASE, then removes the person and everything of theirs. */
export function ErasePerson({ contactId, onErased }: { contactId: string; onErased(report: ErasureReport): void }) {
  const client = useClient();
  const [preview, setPreview] = useState<ErasureReport | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!preview)
    return (
      <button className="danger" data-testid="erase-person" onClick={() => client.call('privacy.erasePreview', { contactId }).then(setPreview, (e: Error) => setError(e.message))}>
        Erase this person…
        {error && <span className="error"> {error}</span>}
      </button>
    );
  return (
    <div className="erase-confirm" role="alertdialog" aria-label="Erase this person">
      <p className="small">
        This removes the contact, {preview.calls} call(s)&apos; transcripts ({preview.transcriptTurns} lines), {preview.recordings} recording(s), {preview.analyses} analyses, {preview.notes} note(s) and {preview.outbox} CRM
        outbox item(s). {preview.dncKeptAsHash ? 'The number stays blocked on the do-not-call list as a one-way hash.' : ''} It cannot be undone.
      </p>
      <label className="small">
        Type ERASE to confirm <input value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="erase-confirm-text" />
      </label>
      <div className="actions">
        <button
          className="danger"
          disabled={typed !== 'ERASE' || busy}
          data-testid="erase-confirm"
          onClick={() => {
            setBusy(true);
            client.call('privacy.erase', { contactId, confirm: true }).then(onErased, (e: Error) => {
              setError(e.message);
              setBusy(false);
            });
          }}
        >
          Erase for good
        </button>
        <button onClick={() => setPreview(null)}>Cancel</button>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
