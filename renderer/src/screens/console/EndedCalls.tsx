import { useShallow } from 'zustand/react/shallow';
import { useNavigation } from '../../store/navigation';
import { useConsole } from './console-store';

/**
 * Calls that ended while this console watched, newest first, until dismissed (for this session):
 * the outcome in words; a click reopens the transcript, answers and control log beside the board.
 */
export function EndedCalls({ onSelect }: { onSelect(callId: string): void }) {
  const ids = useConsole(
    useShallow((s) =>
      Object.keys(s.ended)
        .filter((id) => s.ended[id]!.view)
        .sort((a, b) => s.ended[b]!.at - s.ended[a]!.at),
    ),
  );
  const selectedId = useConsole((s) => s.selectedId);
  if (ids.length === 0) return null;
  return (
    <section className="ended-calls" aria-label="Ended calls" data-testid="ended-calls">
      <h2 className="small">Ended</h2>
      {ids.map((id) => (
        <EndedCard key={id} callId={id} selected={id === selectedId} onSelect={onSelect} />
      ))}
    </section>
  );
}

function EndedCard({ callId, selected, onSelect }: { callId: string; selected: boolean; onSelect(callId: string): void }) {
  const ended = useConsole((s) => s.ended[callId]);
  const go = useNavigation((s) => s.go);
  if (!ended?.view) return null;
  const { view } = ended;
  return (
    <div className={`ended-card${selected ? ' selected' : ''}`} data-testid="ended-card" data-call-id={callId}>
      <button type="button" className="ended-open" onClick={() => onSelect(callId)} aria-pressed={selected}>
        <strong>{view.contactName || view.phone || 'Unknown caller'}</strong> <span className="muted small">{view.campaignName}</span>
        <span className="ended-outcome" data-testid="ended-outcome">
          {ended.outcome}
        </span>
        <span className="muted small">ended {new Date(ended.at).toLocaleTimeString()}</span>
      </button>
      <span className="ended-actions">
        <button type="button" className="ghost small" onClick={() => go({ screen: 'calls', callId })} data-testid="open-call-record">
          Open call record
        </button>
        <button type="button" className="ghost small" onClick={() => useConsole.getState().dismissEnded(callId)} data-testid="dismiss-ended">
          Dismiss
        </button>
      </span>
    </div>
  );
}
