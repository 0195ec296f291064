import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Role, ROLE_TEXT, type UserView } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useCampaigns } from '../../store/campaigns';
import { SharingPanel } from './SharingPanel';
import { UpdatesPanel } from './UpdatesPanel';

/** Accounts (admin): add, change role and assigned campaigns, set a password, remove. */
export function UsersScreen() {
  const client = useClient();
  const [users, setUsers] = useState<UserView[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const reload = useCallback(() => {
    client
      .call('users.list', {})
      .then(setUsers)
      .catch((e: Error) => setMessage({ kind: 'error', text: e.message }));
  }, [client]);
  useEffect(reload, [reload]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setMessage({ kind: 'ok', text: done });
      reload();
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message });
    }
  };

  return (
    <div className="screen-pad">
      <h1>Users</h1>
      <SharingPanel />
      <UpdatesPanel />
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'muted'} role="status" data-testid="users-message">
          {message.text}
        </p>
      )}
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Campaigns (supervisors and viewers: calls and transcripts)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid="user-row">
              <td>
                {u.username} {!u.hasPassword && <span className="muted small">(no password)</span>} {u.lockedUntil && <span className="error">locked</span>}
              </td>
              <td>
                <select aria-label={`Role of ${u.username}`} value={u.role} onChange={(e) => void act(() => client.call('users.update', { id: u.id, role: e.target.value as Role }), `${u.username} is now ${e.target.value}`)}>
                  {Role.options.map((r) => (
                    <option key={r} value={r} title={ROLE_TEXT[r]}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td>{u.role === 'supervisor' || u.role === 'viewer' ? <CampaignPicker value={u.campaignIds} onChange={(ids) => void act(() => client.call('users.update', { id: u.id, campaignIds: ids }), `Campaigns of ${u.username} saved`)} /> : <span className="muted">all</span>}</td>
              <td>
                <button
                  onClick={() => {
                    const password = prompt(`New password for ${u.username} (at least 10 characters). It signs them out everywhere.`);
                    if (password) void act(() => client.call('users.setPassword', { id: u.id, password }), `Password set for ${u.username}`);
                  }}
                >
                  Set password
                </button>{' '}
                <button className="danger" onClick={() => confirm(`Remove ${u.username}? They are signed out everywhere.`) && void act(() => client.call('users.remove', { id: u.id }), `Removed ${u.username}`)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddUser onAdd={(input) => act(() => client.call('users.add', input), `Added ${input.username}`)} />
    </div>
  );
}

function CampaignPicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const order = useCampaigns((s) => s.order);
  const byId = useCampaigns((s) => s.byId);
  const campaigns = useMemo(() => order.map((id) => byId[id]!).filter(Boolean), [order, byId]);
  return (
    <span className="chips">
      {campaigns.map((c) => (
        <label key={c.id} className="small">
          <input type="checkbox" style={{ width: 'auto' }} checked={value.includes(c.id)} onChange={(e) => onChange(e.target.checked ? [...value, c.id] : value.filter((id) => id !== c.id))} /> {c.name}
        </label>
      ))}
    </span>
  );
}

function AddUser({ onAdd }: { onAdd: (input: { username: string; password: string; role: Role; campaignIds: string[] }) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onAdd({ username: username.trim(), password, role, campaignIds: [] }).then(() => {
      setUsername('');
      setPassword('');
    });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add a user">
      <h2>Add a user</h2>
      <input placeholder="Username" data-testid="new-user-name" value={username} onChange={(e) => setUsername(e.target.value)} required />
      <input placeholder="Password (10+ characters)" type="password" autoComplete="new-password" data-testid="new-user-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      <select aria-label="Role" data-testid="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {Role.options.map((r) => (
          <option key={r} value={r}>
            {ROLE_TEXT[r]}
          </option>
        ))}
      </select>
      <button className="primary" type="submit" data-testid="new-user-add">
        Add
      </button>
    </form>
  );
}
