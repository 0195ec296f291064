import { useEffect, useRef } from 'react';
import type { TurnLatencyView } from '../../../../electron/contracts';
import { SPEAKER_TEXT } from './CallCard';
import { useConsole } from './console-store';

function latencyTitle(l: TurnLatencyView): string {
  return `End of caller speech to first agent audio: ${Math.round(l.totalMs)} ms (endpoint ${Math.round(l.endpointMs)}, STT ${Math.round(l.sttMs)}, LLM first token ${Math.round(l.llmFirstTokenMs)}, TTS first chunk ${Math.round(l.ttsFirstChunkMs)}, transport ${Math.round(l.transportMs)}; ${l.endpointReason})${
    typeof l.interruptDecisionMs === 'number' ? `; the caller's interruption was decided in ${Math.round(l.interruptDecisionMs)} ms` : ''
  }`;
}

/** The live transcript: speaker labels, per-turn latency on agent replies, the caller's words greyed until final. */
export function Transcript({ callId }: { callId: string }) {
  const lines = useConsole((s) => s.lines[callId]);
  const interim = useConsole((s) => s.calls[callId]?.interim ?? null);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A block body: newer Chromium returns a promise from scrollIntoView, which React would take for a cleanup.
    end.current?.scrollIntoView({ block: 'end' });
  }, [lines, interim]);
  return (
    <div className="transcript" data-testid="transcript" aria-live="polite">
      {(lines ?? []).map((line) => (
        <div key={line.key} className={`line line-${line.speaker}${line.live ? ' live' : ''}`} data-testid="transcript-line" data-speaker={line.speaker} data-live={line.live ? 'true' : undefined}>
          <span className="speaker">{line.speaker === 'supervisor' ? line.name : SPEAKER_TEXT[line.speaker]}</span>
          <span className="words">
            {line.text ?? <em className="muted">spoke for {Math.max(1, Math.round((line.endedAt - line.startedAt) / 1000))} s (no speech model to transcribe)</em>}
            {line.interrupted && <span className="muted small"> (cut off by the caller)</span>}
            {line.live && <span className="muted small"> (speaking…)</span>}
          </span>
          {line.latency && (
            <span className="latency small" title={latencyTitle(line.latency)} data-testid="turn-latency">
              {Math.round(line.latency.totalMs)} ms
              {typeof line.latency.interruptDecisionMs === 'number' && <span data-testid="interrupt-decision"> · cut in {Math.round(line.latency.interruptDecisionMs)} ms</span>}
            </span>
          )}
        </div>
      ))}
      {interim && (
        <div className="line line-caller interim" data-testid="interim-line">
          <span className="speaker">Caller</span>
          <span className="words">{interim}…</span>
        </div>
      )}
      {(!lines || lines.length === 0) && !interim && <p className="muted small">Nothing has been said yet.</p>}
      <div ref={end} />
    </div>
  );
}
