import { useState } from 'react';
import type { CallNote, CallPage } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** Analysis (summary, answers, lead score, satisfaction, next action) and per-turn latency. */
export function CallFacts({ page }: { page: CallPage }) {
  const { call, analysis, latency } = page;
  return (
    <>
      <dl className="call-facts">
        <dt>Direction</dt>
        <dd>{call.direction}{call.dryRun ? ' (dry run)' : ''}</dd>
        <dt>Outcome</dt>
        <dd>{call.outcome ?? '—'}</dd>
        {call.variant && (
          <>
            <dt>Variant</dt>
            <dd>{call.variant}</dd>
          </>
        )}
        {call.lineId && (
          <>
            <dt>Line</dt>
            <dd>{call.lineId}</dd>
          </>
        )}
      </dl>
      {analysis ? (
        <section>
          <h3>Analysis</h3>
          <p>{analysis.summary}</p>
          <dl className="call-facts">
            <dt>Lead score</dt>
            <dd data-testid="lead-score">{analysis.score.toFixed(2)}</dd>
            <dt>Satisfaction</dt>
            <dd>{analysis.csat} / 5</dd>
            <dt>Next action</dt>
            <dd>
              {analysis.nextAction.kind.replace(/_/g, ' ')}
              {analysis.nextAction.detail ? `: ${analysis.nextAction.detail}` : ''}
            </dd>
          </dl>
          {analysis.answers.length > 0 && (
            <ul className="small">
              {analysis.answers.map((a, i) => (
                <li key={i}>
                  {a.question} <strong>{a.answer ?? '—'}</strong>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <p className="muted small">Not analysed.</p>
      )}
      {latency.length > 0 && (
        <section>
          <h3>Latency per turn</h3>
          <table className="report-table">
            <thead>
              <tr>
                <th>Turn</th>
                <th>Total</th>
                <th>Endpoint</th>
                <th>STT</th>
                <th>LLM</th>
                <th>TTS</th>
              </tr>
            </thead>
            <tbody>
              {latency.map((l) => (
                <tr key={l.turn}>
                  <td>{l.turn}</td>
                  <td>{l.totalMs} ms</td>
                  <td>{l.endpointMs}</td>
                  <td>{l.sttMs}</td>
                  <td>{l.llmFirstTokenMs}</td>
                  <td>{l.ttsFirstChunkMs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

/** Notes on the call; the author is the signed-in user (the engine takes it from the session). */
export function CallNotes({ callId, notes, canAdd, onAdded }: { callId: string; notes: CallNote[]; canAdd: boolean; onAdded(note: CallNote): void }) {
  const client = useClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <section>
      <h3>Notes</h3>
      <ul className="notes" data-testid="call-notes">
        {notes.map((n) => (
          <li key={n.id}>
            <span className="small muted">
              {n.author}, {new Date(n.createdAt).toLocaleString()}
            </span>
            <div>{n.text}</div>
          </li>
        ))}
        {notes.length === 0 && <li className="muted small">No notes yet.</li>}
      </ul>
      {canAdd && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            client.call('calls.addNote', { callId, text }).then(
              (note) => {
                onAdded(note);
                setText('');
                setError(null);
              },
              (err: Error) => setError(err.message),
            );
          }}
        >
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder="Add a note" aria-label="Add a note" data-testid="note-text" />
          <button type="submit" disabled={!text.trim()}>
            Add note
          </button>
          {error && <p className="error">{error}</p>}
        </form>
      )}
    </section>
  );
}
