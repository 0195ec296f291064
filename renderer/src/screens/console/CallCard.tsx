import { memo } from 'react';
import { ALERT_TEXT, BOARD_STATE_TEXT, boardStateOf, EMOTION_LABEL_TEXT } from '../../../../electron/contracts';
import { EMOTION_COLORS } from '../analytics/EmotionMeter';
import { useNow } from './console-events';
import { useConsole } from './console-store';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Only this label re-renders every second. */
export function Duration({ since }: { since: string }) {
  const now = useNow((s) => s.now);
  return <span className="duration">{formatDuration(now - Date.parse(since))}</span>;
}

export const SPEAKER_TEXT = { caller: 'Caller', agent: 'AI', supervisor: 'Supervisor' } as const;

/** One call on the board; it subscribes to its own call only. */
export const CallCard = memo(function CallCard({ callId, selected, onSelect }: { callId: string; selected: boolean; onSelect(callId: string): void }) {
  const call = useConsole((s) => s.calls[callId]);
  if (!call) return null;
  const state = boardStateOf(call);
  const alerted = call.alerts.length > 0;
  return (
    <button
      className={`call-card${selected ? ' selected' : ''}${alerted ? ' alerted' : ''}`}
      onClick={() => onSelect(callId)}
      aria-pressed={selected}
      data-testid="call-card"
      data-call-id={callId}
      data-state={state}
    >
      <span className="card-row">
        <strong className="card-contact">{call.contactName || call.phone || 'Unknown caller'}</strong>
        <span className="muted small card-campaign">
          {call.campaignName}
          {call.direction === 'inbound' && ' · inbound'}
        </span>
        {call.dryRun && (
          <span className="badge dry-run" data-testid="card-dry-run" title="A rehearsal on a simulated line: no real record is written">
            Dry run
          </span>
        )}
        <Duration since={call.answeredAt ?? call.startedAt} />
      </span>
      <span className="card-row">
        <span className={`state-badge state-${state}`} data-testid="card-state">
          {BOARD_STATE_TEXT[state]}
          {call.controller ? ` · ${call.controller.name}` : ''}
        </span>
        {call.emotion && (
          <span className="emotion-chip" title={`Confidence ${Math.round(call.emotion.confidence * 100)}%`} data-testid="card-emotion">
            <span className="emotion-dot" style={{ background: EMOTION_COLORS[call.emotion.label] }} />
            {EMOTION_LABEL_TEXT[call.emotion.label]}
          </span>
        )}
        {call.alerts.map((alert) => (
          <span key={alert.id} className={`alert-badge alert-${alert.kind}`} title={alert.message} data-testid="card-alert">
            {ALERT_TEXT[alert.kind]}
          </span>
        ))}
      </span>
      <span className="card-last" data-testid="card-last-line">
        {call.interim ? (
          <span className="interim">Caller: {call.interim}</span>
        ) : call.lastLine ? (
          `${SPEAKER_TEXT[call.lastLine.speaker]}: ${call.lastLine.text}`
        ) : (
          <span className="muted">{state === 'dialing' || state === 'ringing' ? 'Waiting for an answer…' : 'Nothing said yet'}</span>
        )}
      </span>
    </button>
  );
});
