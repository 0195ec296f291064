import { EMOTION_LABEL_TEXT, type CallPage } from '../../../../electron/contracts';
import { formatClock } from './format';
import { offsetSeconds } from './transcript-timing';

const EMOTION_COLOR: Record<string, string> = { neutral: '#9aa3b5', happy: '#2fa37a', confused: '#d9a21b', frustrated: '#d64545', sad: '#5b6fd6', anxious: '#a05bd6' };

/** Emotions and supervisor actions on the recording's time axis; a click plays from that moment. */
export function Timeline({ page, base, span, time, onSeek }: { page: CallPage; base: number; span: number; time: number; onSeek(seconds: number): void }) {
  if (span <= 0) return null;
  const left = (at: number) => `${Math.min(100, (offsetSeconds(at, base) / span) * 100)}%`;
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-row">
        <span className="small muted">Emotion</span>
        <div className="track">
          {page.emotions.map((e) => (
            <button
              key={`e${e.seq}`}
              className="marker"
              style={{ left: left(e.at), background: EMOTION_COLOR[e.label] ?? '#999' }}
              title={`${formatClock(offsetSeconds(e.at, base))} ${EMOTION_LABEL_TEXT[e.label]} (frustration ${e.frustration.toFixed(2)})`}
              onClick={() => onSeek(offsetSeconds(e.at, base))}
            />
          ))}
          <div className="cursor" style={{ left: `${Math.min(100, (time / span) * 100)}%` }} />
        </div>
      </div>
      <div className="timeline-row">
        <span className="small muted">Supervisor</span>
        <div className="track">
          {page.controls.map((c, i) => (
            <button
              key={`c${i}`}
              className="marker control"
              style={{ left: left(c.at) }}
              title={`${formatClock(offsetSeconds(c.at, base))} ${c.action}${c.supervisor ? ` by ${c.supervisor}` : ''}${c.detail ? `: ${c.detail}` : ''}`}
              onClick={() => onSeek(offsetSeconds(c.at, base))}
            >
              {c.action.slice(0, 1).toUpperCase()}
            </button>
          ))}
          <div className="cursor" style={{ left: `${Math.min(100, (time / span) * 100)}%` }} />
        </div>
      </div>
      {page.controls.length > 0 && (
        <ul className="control-log small">
          {page.controls.map((c, i) => (
            <li key={i}>
              {formatClock(offsetSeconds(c.at, base))} <strong>{c.action}</strong> {c.supervisor ? `by ${c.supervisor}` : ''} {c.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
