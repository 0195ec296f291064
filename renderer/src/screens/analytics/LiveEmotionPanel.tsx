import { useLiveEmotion } from './live-emotion-store';
import { EmotionMeter } from './EmotionMeter';

/** Live emotion of the calls being read right now, and frustration alerts for desk agents. */
export function LiveEmotionPanel() {
  const byCall = useLiveEmotion((s) => s.byCall);
  const alerts = useLiveEmotion((s) => s.alerts);
  const dismiss = useLiveEmotion((s) => s.dismiss);
  const calls = Object.entries(byCall).sort(([, a], [, b]) => b.latest.at.localeCompare(a.latest.at));
  return (
    <section className="card live-emotion" aria-label="Live emotion" data-testid="live-emotion">
      <h2>Live emotion</h2>
      {alerts.map((alert) => (
        <div key={`${alert.callId}-${alert.seq}`} className="frustration-alert" role="alert" data-testid="frustration-alert">
          <strong>Caller frustrated</strong> on call {alert.callId.slice(0, 8)} for {alert.turns} turns. The agent was told to{' '}
          {alert.actions.map((a) => a.replace('_', ' ')).join(', ')}.
          <button className="ghost" onClick={() => dismiss(alert.callId)}>
            Dismiss
          </button>
        </div>
      ))}
      {calls.length === 0 && <p className="muted small">No call is being read right now. Meters appear here as callers speak.</p>}
      <div className="meters">
        {calls.map(([callId, { latest, history }]) => (
          <div key={callId}>
            <div className="muted small">Call {callId.slice(0, 8)}</div>
            <EmotionMeter reading={latest} history={history} />
          </div>
        ))}
      </div>
    </section>
  );
}
