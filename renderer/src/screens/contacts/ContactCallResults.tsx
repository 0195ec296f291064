import { useEffect, useState } from 'react';
import type { CallAnalysis } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** What each finished call with this contact achieved: outcome, summary, lead score, next action. */
export function ContactCallResults({ contactId }: { contactId: string }) {
  const client = useClient();
  const [results, setResults] = useState<CallAnalysis[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    const load = () =>
      client.call('analysis.forContact', { contactId, limit: 10 }).then(
        (list) => live && setResults(list),
        (e: Error) => live && setError(e.message),
      );
    void load();
    // A call with this contact that ends while the panel is open shows up without a reload.
    const off = client.on('call.analyzed', (analysis) => {
      if (analysis.contactId === contactId) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [client, contactId]);

  return (
    <section className="contact-results" data-testid="contact-call-results" aria-label="Call results">
      <h3>Call results</h3>
      {error && <p className="field-error">{error}</p>}
      {results?.length === 0 && <p className="muted small">No analysed calls yet.</p>}
      <ul>
        {results?.map((r) => (
          <li key={r.callId} data-testid="contact-call-result">
            <div>
              <strong>{r.outcome.replace(/_/g, ' ')}</strong>{' '}
              <span className="muted small">
                {new Date(r.createdAt).toLocaleString()} · lead {Math.round(r.leadScore.qualification * 100)}% · CSAT {r.csat.toFixed(1)}/5
              </span>
            </div>
            <p className="small">{r.summary}</p>
            <p className="small muted">Next: {r.nextAction.detail || r.nextAction.kind.replace(/_/g, ' ')}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
