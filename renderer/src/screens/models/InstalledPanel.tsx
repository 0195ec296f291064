import { MODEL_ROLES, ROLE_LABELS } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { formatBytes, useModels } from './store';

/** Step 4: the active model of each role; switching takes effect for the next call, without a restart. */
export function InstalledPanel() {
  const client = useClient();
  const installed = useModels((s) => s.installed);
  const checks = useModels((s) => s.checks);
  return (
    <section className="models-card" aria-label="Installed models">
      <h2>Active models</h2>
      <table className="models-table" data-testid="models-installed">
        <tbody>
          {MODEL_ROLES.map((role) => {
            const models = installed.filter((m) => m.role === role);
            return (
              <tr key={role} data-testid={`models-role-${role}`}>
                <th scope="row">{ROLE_LABELS[role]}</th>
                <td>
                  {models.length === 0 && <span className="muted">none installed</span>}
                  {models.map((m) => {
                    const check = checks[m.id];
                    return (
                      <div key={m.id} className="models-row" data-testid="models-installed-row" data-active={m.active}>
                        <span>
                          {m.active ? <strong>{m.name}</strong> : m.name} <span className="muted small">{formatBytes(m.sizeBytes)}</span>
                          {m.active && <span className="badge status-running">active</span>}
                          {!m.verified && <span className="badge">unverified</span>}
                        </span>
                        {!m.active && (
                          <button className="ghost" onClick={() => void useModels.getState().use(client, m.id)}>
                            Use
                          </button>
                        )}
                        <button className="ghost" disabled={check === 'running'} onClick={() => void useModels.getState().verify(client, m.id)}>
                          {check === 'running' ? 'Checking…' : 'Check it loads'}
                        </button>
                        <button className="ghost danger" onClick={() => void useModels.getState().remove(client, m.id)}>
                          Remove
                        </button>
                        {check && check !== 'running' && <span className={check.ok ? 'ok small' : 'error'}>{check.detail}</span>}
                      </div>
                    );
                  })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
