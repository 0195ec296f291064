import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { WaitingCaller } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { supervisorAudio } from './audio/supervisor-audio';
import { Duration, SPEAKER_TEXT } from './CallCard';
import { useConsole } from './console-store';
import { useDeskPhone } from '../../phone/desk-phone-store';

/**
 * Callers waiting for a person, on every console: a ringing card with the wait ticking and a brief
 * (who, why, what was said, answers so far). Accept is first come: take the call over (your
 * microphone joins it), put it through to the campaign's transfer number, or (Twilio lines) ring your
 * own phone; the others see who took it.
 */
export function WaitingQueue() {
  const ids = useConsole(useShallow((s) => Object.keys(s.waiting).sort((a, b) => s.waiting[a]!.since.localeCompare(s.waiting[b]!.since))));
  if (ids.length === 0) return null;
  return (
    <section className="waiting-queue" aria-label="Waiting for a person" data-testid="waiting-queue">
      <h2>
        Waiting for a person <span className="alert-count">{ids.filter((id) => !useConsole.getState().waiting[id]?.takenBy).length}</span>
      </h2>
      {ids.map((id) => (
        <WaitingCard key={id} callId={id} />
      ))}
    </section>
  );
}

function WaitingCard({ callId }: { callId: string }) {
  const client = useClient();
  const entry = useConsole((s) => s.waiting[callId]) as WaitingCaller | undefined;
  const [busy, setBusy] = useState(false);
  const phoneReady = useDeskPhone((s) => s.status === 'ready');
  if (!entry) return null;
  const accept = async (via: 'takeover' | 'transfer' | 'desk-phone') => {
    setBusy(true);
    const store = useConsole.getState();
    try {
      if (via === 'takeover') {
        await supervisorAudio.speak(client, callId, 'takeover', async () => (await client.call('transfers.accept', { callId, via })).ticket!);
        store.select(callId);
        store.say('info', `You have the call. ${entry.contactName ?? 'The caller'} asked: ${entry.reason}`, callId);
      } else {
        const result = await client.call('transfers.accept', { callId, via });
        store.say('info', result.detail, callId);
      }
    } catch (error) {
      store.say('error', (error as Error).message, callId);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className={`waiting-card${entry.takenBy ? ' taken' : ' ringing'}`} data-testid="waiting-card" data-call-id={callId}>
      <header className="card-row">
        <strong>{entry.contactName || entry.phone || 'Unknown caller'}</strong>
        <span className="muted small">{entry.campaignName}</span>
        <span className="small" title="How long they have waited">
          waiting <Duration since={entry.since} />
        </span>
      </header>
      <p className="waiting-reason">
        <span className="muted small">{entry.requestedBy === 'the caller' ? 'The caller asked:' : `${entry.requestedBy} asked for them:`}</span> {entry.reason}
      </p>
      {entry.recentTurns.length > 0 && (
        <ol className="waiting-turns small" aria-label="What has been said">
          {entry.recentTurns.map((turn, i) => (
            <li key={i}>
              <strong>{SPEAKER_TEXT[turn.speaker]}:</strong> {turn.text}
            </li>
          ))}
        </ol>
      )}
      {entry.answers.length > 0 && (
        <dl className="waiting-answers small">
          {entry.answers.map((a) => (
            <div key={a.question}>
              <dt>{a.question}</dt>
              <dd>{a.answer}</dd>
            </div>
          ))}
        </dl>
      )}
      {entry.takenBy ? (
        <p className="taken-by" data-testid="waiting-taken">
          Taken by {entry.takenBy}
          <button type="button" className="ghost" onClick={() => useConsole.getState().clearWaiting(callId)}>
            Dismiss
          </button>
        </p>
      ) : (
        <div className="waiting-actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void accept('takeover')} data-testid="accept-takeover">
            Accept: take the call
          </button>
          {entry.deskPhone && (
            <button type="button" disabled={busy || !phoneReady} title={phoneReady ? undefined : 'Turn your phone on first (My phone, above)'} onClick={() => void accept('desk-phone')} data-testid="accept-desk-phone">
              Accept: ring my phone
            </button>
          )}
          {entry.canTransferTo && (
            <button type="button" disabled={busy} onClick={() => void accept('transfer')} data-testid="accept-transfer">
              Accept: put through to {entry.canTransferTo}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
