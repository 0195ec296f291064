import { useState, type FormEvent } from 'react';
import { useClient } from '../../ClientContext';

/** One's own password (the current one is asked); changing it signs this user out everywhere. */
export function ChangePassword() {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button data-testid="change-password" onClick={() => setOpen(true)}>
        Change password
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await client.call('session.changePassword', { current: current || undefined, password: next });
      location.reload(); // every session of this user ended: sign in again with the new password
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form className="account" onSubmit={(e) => void submit(e)} aria-label="Change password">
      <input type="password" autoComplete="current-password" placeholder="Current password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="current-password" />
      <input type="password" autoComplete="new-password" placeholder="New password (10+ characters)" value={next} onChange={(e) => setNext(e.target.value)} required data-testid="new-password" />
      {error && <span className="error">{error}</span>}
      <button type="submit">Save</button>
    </form>
  );
}
