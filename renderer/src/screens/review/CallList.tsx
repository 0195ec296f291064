import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { CallListRow } from '../../../../electron/contracts';
import { Highlighted, formatDuration } from './format';

const ROW_HEIGHT = 52;

/**
 * Every call of the current view in one scrolling list: only visible rows are rendered; when the end
 * comes into view the next keyset page is asked for.
 */
export function CallList({ rows, more, loading, onMore, onOpen }: { rows: CallListRow[]; more: boolean; loading: boolean; onMore(): void; onOpen(row: CallListRow): void }) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length + (more ? 1 : 0), getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (more && !loading && last && last.index >= rows.length - 1) onMore();
  }, [last?.index, more, loading, rows.length]);

  return (
    <div className="virtual-list calls-list" ref={parent} data-testid="calls-list" role="list" aria-label="Calls">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row)
            return (
              <div key="more" className="call-row muted" style={{ top: item.start, height: ROW_HEIGHT }}>
                Loading more…
              </div>
            );
          return (
            <button key={row.id} role="listitem" className="call-row" style={{ top: item.start, height: ROW_HEIGHT }} onClick={() => onOpen(row)} data-testid="call-row" data-call-id={row.id}>
              <span className="cell">{new Date(row.createdAt).toLocaleString()}</span>
              <span className="cell">{row.campaignName ?? <span className="muted">no campaign</span>}</span>
              <span className="cell">{row.contactName ?? <span className="muted">unknown</span>}</span>
              <span className="cell">
                {row.direction}
                {row.dryRun && <span className="tag">dry run</span>}
                {row.legalHold && <span className="tag">hold</span>}
              </span>
              <span className="cell">{row.outcome ?? ''}</span>
              <span className="cell">{formatDuration(row.durationMs)}</span>
              <span className="cell">{row.score === null ? '' : row.score.toFixed(2)}</span>
              <span className="cell">{row.hasRecording ? '🎧' : ''}</span>
              {row.snippet && (
                <span className="snippet" data-testid="call-snippet">
                  <Highlighted text={row.snippet} />
                </span>
              )}
            </button>
          );
        })}
      </div>
    </div>
  );
}
