import { useState } from 'react';
import type { CallbackView } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { contactLocal, toLocalInput } from './callback-time';

/** One callback with what a desk agent can do with it. */
export function CallbackRow({ callback, onChanged }: { callback: CallbackView; onChanged: (c: CallbackView) => void }) {
  const client = useClient();
  const [editing, setEditing] = useState(false);
  const [at, setAt] = useState(() => toLocalInput(callback.dueAt));
  const [error, setError] = useState<string>();
  const act = (work: () => Promise<CallbackView>) =>
    void work().then(
      (c) => {
        setError(undefined);
        setEditing(false);
        onChanged(c);
      },
      (e: Error) => setError(e.message),
    );
  const open = callback.state === 'scheduled' || callback.state === 'dialing';
  return (
    <li className="callback-row" data-testid="callback-row" data-state={callback.state}>
      <div>
        <strong data-testid="callback-contact">{callback.contactName}</strong> <span className="muted small">{callback.phone}</span>
        {callback.campaignName && <span className="muted small"> · {callback.campaignName}</span>}
      </div>
      <div className="small">
        <span data-testid="callback-due">{contactLocal(callback)}</span> · {callback.assignee ? `for ${callback.assignee.name}` : 'the AI calls'} · asked by {callback.requestedBy}
        {callback.askedWords && <> · “{callback.askedWords}”</>} · <span data-testid="callback-state">{callback.state}</span>
      </div>
      {callback.note && <div className="muted small">{callback.note}</div>}
      {open && (
        <div className="callback-actions">
          {callback.state === 'scheduled' && (
            <button type="button" data-testid="callback-call-now" onClick={() => act(() => client.call('callbacks.callNow', { id: callback.id }))}>
              Call now
            </button>
          )}
          {callback.state === 'dialing' && callback.assignee && (
            <>
              <button type="button" data-testid="callback-done" onClick={() => act(() => client.call('callbacks.markResult', { id: callback.id, result: 'done' }))}>
                Reached
              </button>
              <button type="button" onClick={() => act(() => client.call('callbacks.markResult', { id: callback.id, result: 'missed' }))}>
                No answer
              </button>
            </>
          )}
          <button type="button" data-testid="callback-reschedule" onClick={() => setEditing(!editing)}>
            Reschedule
          </button>
          <button type="button" data-testid="callback-cancel" onClick={() => act(() => client.call('callbacks.cancel', { id: callback.id }))}>
            Cancel
          </button>
        </div>
      )}
      {editing && (
        <form
          className="callback-reschedule"
          onSubmit={(e) => {
            e.preventDefault();
            act(() => client.call('callbacks.reschedule', { id: callback.id, at: new Date(at).toISOString() }));
          }}
        >
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} aria-label="New time (your clock)" data-testid="callback-new-time" />
          <button type="submit" data-testid="callback-save-time">
            Save
          </button>
        </form>
      )}
      {error && <p className="field-error">{error}</p>}
    </li>
  );
}
