import { useState, type FormEvent } from 'react';
import { useSession } from '../../store/session';
import type { Auth } from '../../transport';

/** Sign-in form of the console in a browser (`parley serve`). */
export function LoginScreen({ auth }: { auth: Auth }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { state, notice } = useSession();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await auth.signIn({ username: username.trim(), password });
      setPassword('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (state === 'checking') return <div className="login" data-testid="login-checking">Signing in…</div>;
  return (
    <form className="login" onSubmit={(e) => void submit(e)} aria-label="Sign in">
      <h1>Parley</h1>
      <p>Sign in to the console.</p>
      <label>
        Username
        <input data-testid="login-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        Password
        <input data-testid="login-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {(error ?? notice) && (
        <p className="error" role="alert" data-testid="login-error">
          {error ?? notice}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy} data-testid="login-submit">
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
