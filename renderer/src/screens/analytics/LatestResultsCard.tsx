import { useState } from 'react';
import { CALL_OUTCOME_TEXT, EMOTION_LABEL_TEXT, type CallAnalysis } from '../../../../electron/contracts';

const NEXT_ACTION_TEXT: Record<CallAnalysis['nextAction']['kind'], string> = {
  book_meeting: 'Book / confirm',
  send_info: 'Send information',
  call_back: 'Call back',
  retry_later: 'Retry later',
  hand_to_human: 'Hand to a person',
  remove_from_list: 'Remove from list',
  none: 'None',
};

/** The newest post-call analyses: outcome, lead score, satisfaction, next action; a row opens the full result. */
export function LatestResultsCard({ results }: { results: CallAnalysis[] }) {
  const [open, setOpen] = useState<string>();
  return (
    <section className="card wide" data-testid="latest-results" aria-label="Latest call results">
      <h2>Latest call results</h2>
      {results.length === 0 ? (
        <p className="muted small">No analysed calls in this range yet. Each call is analysed as soon as it ends.</p>
      ) : (
        <table className="data-table results-table">
          <thead>
            <tr><th>Called</th><th>Outcome</th><th>Lead</th><th>CSAT</th><th>Mood</th><th>Next action</th><th>Summary</th></tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <ResultRow key={r.callId} result={r} open={open === r.callId} onToggle={() => setOpen(open === r.callId ? undefined : r.callId)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ResultRow({ result: r, open, onToggle }: { result: CallAnalysis; open: boolean; onToggle(): void }) {
  return (
    <>
      <tr className="result-row" data-testid="result-row" onClick={onToggle} aria-expanded={open}>
        <td>{new Date(r.createdAt).toLocaleString()}</td>
        <td><span className={`badge outcome-${r.outcome}`}>{CALL_OUTCOME_TEXT[r.outcome]}</span></td>
        <td>{Math.round(r.leadScore.qualification * 100)}%</td>
        <td>{r.csat.toFixed(1)}</td>
        <td>{r.dominantEmotion ? EMOTION_LABEL_TEXT[r.dominantEmotion] : '–'}</td>
        <td>{NEXT_ACTION_TEXT[r.nextAction.kind]}</td>
        <td className="summary-cell">{r.summary}</td>
      </tr>
      {open && (
        <tr className="result-detail" data-testid="result-detail">
          <td colSpan={7}>
            <p>{r.summary}</p>
            <p className="muted small">
              Interest {r.leadScore.interest}; budget {r.leadScore.budget.status}
              {r.leadScore.budget.detail ? ` (${r.leadScore.budget.detail})` : ''}; timeline {r.leadScore.timeline.horizon}
              {r.leadScore.timeline.detail ? ` (${r.leadScore.timeline.detail})` : ''}; decision maker {r.leadScore.decisionMaker}. Next: {r.nextAction.detail}
            </p>
            {r.answers.length > 0 && (
              <dl className="answers">
                {r.answers.map((a) => (
                  <div key={a.question}>
                    <dt>{a.question}</dt>
                    <dd>{a.answer ?? <span className="muted">not answered</span>}</dd>
                  </div>
                ))}
              </dl>
            )}
            <p className="muted small">Analysed by {r.method === 'llm' ? `the language model ${r.model ?? ''}` : 'rules (no language model installed)'}; call {r.callId}.</p>
          </td>
        </tr>
      )}
    </>
  );
}
