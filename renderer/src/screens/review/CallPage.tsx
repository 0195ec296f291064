import { useEffect, useMemo, useRef, useState } from 'react';
import { roleAtLeast, type CallPage as CallPageData } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { downloadText } from '../../lib/download';
import { useNavigation } from '../../store/navigation';
import { useSession } from '../../store/session';
import { CallFacts, CallNotes } from './CallFacts';
import { formatClock, formatDuration } from './format';
import { fetchRecording } from './recording';
import { currentLine, offsetSeconds } from './transcript-timing';
import { Timeline } from './Timeline';
import { WaveformPlayer, type PlayerHandle } from './WaveformPlayer';

/** One call: the recording with the transcript in step, emotions and supervisor actions on the same axis, analysis, notes. */
export function CallPage({ callId, onBack }: { callId: string; onBack(): void }) {
  const client = useClient();
  const role = useSession((s) => s.user?.role ?? 'viewer');
  const go = useNavigation((s) => s.go);
  const [page, setPage] = useState<CallPageData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [blob, setBlob] = useState<Blob | null>(null);
  const [audioError, setAudioError] = useState<string | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const player = useRef<PlayerHandle>(null);
  const lineRefs = useRef<Array<HTMLLIElement | null>>([]);

  useEffect(() => {
    client.call('calls.get', { callId }).then(setPage, (e: Error) => setError(e.message));
  }, [client, callId]);

  useEffect(() => {
    if (!page?.recording) return;
    fetchRecording(callId).then(setBlob, (e: Error) => setAudioError(e.message));
  }, [page?.recording, callId]);

  const base = page ? (page.recording?.startedAt ?? page.call.answeredAt ?? page.call.startedAt ?? page.call.createdAt) : 0;
  const starts = useMemo(() => (page ? page.transcript.map((t) => offsetSeconds(t.startedAt, base)) : []), [page, base]);
  const current = blob ? currentLine(starts, time) : -1;

  useEffect(() => {
    if (current >= 0) lineRefs.current[current]?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)) return;
      if (e.key === ' ') {
        e.preventDefault();
        player.current?.playPause();
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        player.current?.skip(e.key === 'ArrowLeft' ? -5 : 5);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (error) return <div className="screen-pad"><button onClick={onBack}>← Calls</button><p className="error">{error}</p></div>;
  if (!page) return <div className="screen-pad muted">Loading the call…</div>;
  const { call } = page;
  const span = duration || (page.recording?.durationMs ?? call.durationMs ?? 0) / 1000;

  const downloadTranscript = (kind: 'text' | 'json') => {
    if (kind === 'json') downloadText(`call-${call.id}-transcript.json`, JSON.stringify(page.transcript, null, 2), 'application/json');
    else downloadText(`call-${call.id}-transcript.txt`, page.transcript.map((t) => `[${formatClock(offsetSeconds(t.startedAt, base))}] ${t.speaker === 'caller' ? 'Caller' : 'Agent'}: ${t.text}`).join('\n'), 'text/plain;charset=utf-8');
  };
  const downloadRecording = () => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `call-${call.id}.${page.recording?.format === 'wav' ? 'wav' : 'ogg'}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div className="call-page" data-testid="call-page">
      <header className="pane-header">
        <button onClick={onBack} data-testid="back-to-calls">← Calls</button>
        <h1>
          Call {new Date(call.createdAt).toLocaleString()} · {formatDuration(call.durationMs)}
        </h1>
        <div className="toolbar">
          {call.contactId && (
            <button className="ghost" onClick={() => go({ screen: 'contacts', contactId: call.contactId! })}>
              Contact: {call.contactName ?? call.contactId}
            </button>
          )}
          {call.campaignId && (
            <button className="ghost" onClick={() => go({ screen: 'campaigns', campaignId: call.campaignId! })}>
              Campaign: {call.campaignName ?? call.campaignId}
            </button>
          )}
          <button onClick={downloadRecording} disabled={!blob}>Download recording</button>
          <button onClick={() => downloadTranscript('text')}>Transcript (text)</button>
          <button onClick={() => downloadTranscript('json')}>Transcript (JSON)</button>
          {roleAtLeast(role, 'manager') && (
            <label className="inline small">
              <input
                type="checkbox"
                checked={call.legalHold}
                onChange={(e) => void client.call('calls.setLegalHold', { callId: call.id, hold: e.target.checked }).then(() => client.call('calls.get', { callId }).then(setPage))}
                data-testid="legal-hold"
              />
              Legal hold (never purged)
            </label>
          )}
        </div>
      </header>
      <div className="call-page-body">
        <section className="call-main">
          {page.recording ? (
            blob ? (
              <WaveformPlayer ref={player} blob={blob} onTime={setTime} onDuration={setDuration} />
            ) : (
              <p className="muted">{audioError ? `The recording cannot be played: ${audioError}` : 'Loading the recording…'}</p>
            )
          ) : (
            <p className="muted">No recording for this call.</p>
          )}
          <Timeline page={page} base={base} span={span} time={time} onSeek={(s) => player.current?.playFrom(s)} />
          <ol className="review-transcript" data-testid="review-transcript">
            {page.transcript.map((turn, i) => (
              <li
                key={turn.seq}
                ref={(el) => {
                  lineRefs.current[i] = el;
                }}
                className={`${turn.speaker}${i === current ? ' current' : ''}`}
                data-testid="transcript-line"
                data-start={starts[i]!.toFixed(2)}
                aria-current={i === current ? 'true' : undefined}
                onClick={() => player.current?.playFrom(starts[i]!)}
              >
                <span className="when">{formatClock(starts[i]!)}</span>
                <strong>{turn.speaker === 'caller' ? 'Caller' : 'Agent'}</strong> {turn.text}
                {turn.interrupted && <span className="tag">interrupted</span>}
              </li>
            ))}
            {page.transcript.length === 0 && <li className="muted">No transcript (never recorded, or purged by retention).</li>}
          </ol>
        </section>
        <aside className="call-side">
          <CallFacts page={page} />
          <CallNotes callId={call.id} notes={page.notes} canAdd={roleAtLeast(role, 'supervisor')} onAdded={(note) => setPage({ ...page, notes: [...page.notes, note] })} />
        </aside>
      </div>
    </div>
  );
}
