import { useEffect, useState } from 'react';
import type { Line, LineTestResult } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useCampaigns } from '../../store/campaigns';
import { useLines } from '../../store/lines';
import { LineForm } from './LineForm';
import './lines.css';

const KIND_LABEL: Record<Line['kind'], string> = { sip: 'SIP', audiosocket: 'Asterisk', twilio: 'Twilio', simulated: 'Simulated (dry runs)' };

/** The office's phone lines: live state, calls in progress, test, add, edit, remove. */
export function LinesScreen() {
  const client = useClient();
  const list = useLines((s) => s.list);
  const loaded = useLines((s) => s.loaded);
  const error = useLines((s) => s.error);
  const byId = useCampaigns((s) => s.byId);
  const campaigns = Object.values(byId);
  const [editing, setEditing] = useState<string | 'new'>();

  useEffect(() => {
    void useLines.getState().load(client);
    void useCampaigns.getState().load(client);
    return useLines.getState().follow(client);
  }, [client]);

  const current = editing && editing !== 'new' ? list.find((l) => l.id === editing) : undefined;
  return (
    <div className="lines-screen">
      <header className="pane-header">
        <h1>Lines</h1>
        <button className="primary" onClick={() => setEditing('new')} data-testid="new-line">
          Add line
        </button>
      </header>
      {error && <p className="error">Could not load lines: {error}</p>}
      {loaded && list.length === 0 && (
        <p className="muted placeholder" data-testid="no-lines">
          No phone line yet. Add a SIP trunk or PBX extension to call real numbers, or a simulated line for dry runs.
        </p>
      )}
      {editing === 'new' && <LineForm key="new" campaigns={campaigns} onDone={() => setEditing(undefined)} />}
      {current && <LineForm key={current.id} line={current} campaigns={campaigns} onDone={() => setEditing(undefined)} />}
      <ul className="line-list" data-testid="line-list">
        {list.map((line) => (
          <LineRow key={line.id} line={line} onEdit={() => setEditing(line.id)} />
        ))}
      </ul>
    </div>
  );
}

function LineRow({ line, onEdit }: { line: Line; onEdit(): void }) {
  const client = useClient();
  const [test, setTest] = useState<LineTestResult | 'running'>();
  const [confirm, setConfirm] = useState(false);
  const [problem, setProblem] = useState<string>();

  const runTest = async () => {
    setTest('running');
    try {
      setTest(await client.call('lines.test', { id: line.id }));
    } catch (error) {
      setTest({ ok: false, verdict: (error as Error).message, latencyMs: null });
    }
  };
  const remove = async () => {
    try {
      await client.call('lines.remove', { id: line.id });
      useLines.getState().drop(line.id);
    } catch (error) {
      setProblem((error as Error).message);
      setConfirm(false);
    }
  };

  return (
    <li className="line-row" data-testid="line-row" data-line={line.name}>
      <span className={`line-dot ${line.state.status}`} aria-hidden />
      <div className="line-main">
        <div>
          <strong data-testid="line-row-name">{line.name}</strong> <span className="badge">{KIND_LABEL[line.kind]}</span>
          {line.dryRun && <span className="badge dry-run">Dry run</span>}
        </div>
        <div className="muted small" data-testid="line-state">
          {line.state.status}: {line.state.detail}
        </div>
        {test === 'running' && <div className="small">Testing…</div>}
        {test && test !== 'running' && (
          <div className={test.ok ? 'ok small' : 'field-error small'} data-testid="line-test-result">
            {test.ok ? 'OK' : 'Failed'}: {test.verdict}
            {test.latencyMs !== null && ` (${Math.round(test.latencyMs)} ms)`}
          </div>
        )}
        {problem && <div className="field-error small">{problem}</div>}
      </div>
      <span className="line-calls" data-testid="line-calls" title="Calls in progress / calls at once">
        {line.activeCalls} / {line.maxCalls} calls
      </span>
      <div className="line-actions">
        <button className="ghost" onClick={runTest} disabled={test === 'running'} data-testid="line-test">
          Test
        </button>
        <button className="ghost" onClick={onEdit} data-testid="line-edit">
          Edit
        </button>
        {!confirm && (
          <button className="danger" onClick={() => setConfirm(true)} data-testid="line-remove">
            Remove
          </button>
        )}
        {confirm && (
          <>
            <button className="danger" onClick={remove} data-testid="line-confirm-remove">
              Remove {line.name}
            </button>
            <button className="ghost" onClick={() => setConfirm(false)}>
              Keep
            </button>
          </>
        )}
      </div>
    </li>
  );
}
