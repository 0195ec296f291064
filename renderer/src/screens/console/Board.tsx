import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { visibleCalls } from './console-model';
import { useConsole } from './console-store';
import { CallCard } from './CallCard';

const CARD_HEIGHT = 92;

/** Every live call, virtualized: fifty calls streaming transcripts render only the cards in view. */
export function Board({ onSelect }: { onSelect(callId: string): void }) {
  const ids = useConsole(useShallow((s) => visibleCalls(s, s.filter)));
  const total = useConsole((s) => s.order.length);
  const selectedId = useConsole((s) => s.selectedId);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: ids.length, getScrollElement: () => parent.current, estimateSize: () => CARD_HEIGHT, overscan: 6, getItemKey: (i) => ids[i]! });
  return (
    <div className="board" ref={parent} data-testid="board" aria-label="Live calls" role="list">
      {ids.length === 0 && (
        <p className="muted board-empty" data-testid="board-empty">
          {total === 0 ? 'No live calls. Launch a campaign or place a test call; calls appear here as they are dialled.' : 'No call matches the filter.'}
        </p>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} role="listitem" className="board-slot" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
            <CallCard callId={ids[item.index]!} selected={ids[item.index] === selectedId} onSelect={onSelect} />
          </div>
        ))}
      </div>
    </div>
  );
}
