import { EMOTION_LABEL_TEXT } from '../../../../electron/contracts';
import { EmotionMeter } from '../analytics/EmotionMeter';
import { useConsole } from './console-store';

/** Emotion meter with the call's short timeline (one dot per caller turn). */
export function EmotionPanel({ callId }: { callId: string }) {
  const history = useConsole((s) => s.emotions[callId]);
  const now = useConsole((s) => (s.calls[callId] ?? s.ended[callId]?.view)?.emotion ?? null);
  const latest = history?.[history.length - 1];
  return (
    <section className="panel" aria-label="Emotion" data-testid="call-emotion">
      <h3>Emotion</h3>
      {latest ? <EmotionMeter reading={latest} history={history} /> : now ? <p>{EMOTION_LABEL_TEXT[now.label]}</p> : <p className="muted small">Read from each caller turn as the caller speaks.</p>}
    </section>
  );
}

/** Who is on the line, what the agent was told about them, and what they have answered. */
export function ContactCard({ callId }: { callId: string }) {
  // An ended call keeps its card (answers, context) for review.
  const call = useConsole((s) => s.calls[callId] ?? s.ended[callId]?.view ?? undefined);
  if (!call) return null;
  return (
    <section className="panel" aria-label="Contact" data-testid="contact-card">
      <h3>{call.contactName || 'Unknown caller'}</h3>
      <p className="small">
        {call.phone || (call.telephony === 'softphone' ? 'Softphone test call' : '')} · {call.campaignName} · {call.telephony}
      </p>
      {call.context && <p className="small context">{call.context}</p>}
      {call.questions.length > 0 && (
        <dl className="answers">
          {call.questions.map((question) => {
            const answer = call.answers.find((a) => a.question === question)?.answer;
            return (
              <div key={question}>
                <dt className="small">{question}</dt>
                <dd className={answer ? 'small' : 'small muted'}>{answer ?? 'not answered yet'}</dd>
              </div>
            );
          })}
        </dl>
      )}
    </section>
  );
}

/** Every control action on the call, newest last (they are in the call's events too). */
export function ControlLog({ callId }: { callId: string }) {
  const log = useConsole((s) => s.logs[callId]);
  if (!log || log.length === 0) return null;
  return (
    <section className="panel" aria-label="Control log" data-testid="control-log">
      <h3>Control log</h3>
      <ol className="control-log">
        {log.slice(-12).map((entry, i) => (
          <li key={`${entry.at}-${i}`} className="small" data-action={entry.action}>
            <span className="muted">{new Date(entry.at).toLocaleTimeString()}</span> {entry.detail}
          </li>
        ))}
      </ol>
    </section>
  );
}
