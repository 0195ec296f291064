import { useEffect } from 'react';
import { ALERT_TEXT, BOARD_STATE_TEXT, boardStateOf, type ParleyClient } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useAudio } from './audio/supervisor-audio';
import { Duration } from './CallCard';
import { ContactCard, ControlLog, EmotionPanel } from './CallDetails';
import { useConsole } from './console-store';
import { useNavigation } from '../../store/navigation';
import { Controls } from './Controls';
import { Transcript } from './Transcript';

const AGENT_TEXT = { listening: 'AI listening', thinking: 'AI thinking', speaking: 'AI speaking', held: 'AI silent (supervisor)' } as const;

async function loadCall(client: ParleyClient, callId: string): Promise<void> {
  const store = useConsole.getState();
  try {
    store.detail(await client.call('supervision.call', { callId }));
  } catch (error) {
    if (!store.ended[callId]) store.say('error', (error as Error).message);
    return;
  }
  client.call('emotion.track', { callId }).then(
    (track) => useConsole.getState().emotionTrack(callId, track),
    () => undefined, // the meter fills from live readings instead
  );
}

/** One call: live transcript, emotion, contact card, the agent's state, and the controls. */
export function CallView({ callId }: { callId: string }) {
  const client = useClient();
  const call = useConsole((s) => s.calls[callId]);
  const ended = useConsole((s) => s.ended[callId]);
  const card = call ?? ended?.view ?? null;
  const go = useNavigation((s) => s.go);
  const listening = useAudio((s) => Boolean(s.listening[callId]));
  const dismiss = (alertId: string) =>
    void client.call('supervision.dismissAlert', { callId, alertId }).catch((error: unknown) => useConsole.getState().say('error', (error as Error).message));

  useEffect(() => {
    void loadCall(client, callId);
  }, [client, callId]);

  if (!call && !ended) return <section className="call-view placeholder muted">Loading the call…</section>;
  const state = call ? boardStateOf(call) : null;
  return (
    <section className="call-view" data-testid="call-view" data-call-id={callId} aria-label="Call">
      <header className="call-header">
        <div>
          <h2>{card?.contactName || card?.phone || 'Call'}</h2>
          <span className="muted small">{card?.campaignName}</span>
          {card?.dryRun && (
            <span className="badge dry-run" data-testid="call-dry-run" title="A rehearsal on a simulated line: no real record is written">
              Dry run
            </span>
          )}
        </div>
        {call && state && (
          <>
            <span className={`state-badge state-${state}`} data-testid="call-state">
              {BOARD_STATE_TEXT[state]}
            </span>
            <span className={`agent-state agent-${call.agent}`} data-testid="agent-state">
              {AGENT_TEXT[call.agent]}
            </span>
            {call.supervisorSpeaking && <span className="agent-state">Supervisor speaking</span>}
            <Duration since={call.answeredAt ?? call.startedAt} />
            {listening && <span className="listening-badge" data-testid="listening">Listening</span>}
            {call.listeners > 0 && <span className="muted small">{call.listeners} listening</span>}
          </>
        )}
      </header>
      {ended && (
        <p className="ended-banner" role="status" data-testid="call-ended">
          The call has ended: <strong data-testid="call-ended-outcome">{ended.outcome}</strong>
          <button type="button" className="ghost" onClick={() => go({ screen: 'calls', callId })}>
            Open call record
          </button>
        </p>
      )}
      {call?.controller && (
        <p className={`controller-banner${call.controller.connected ? '' : ' away'}`} data-testid="controller">
          {call.controller.name} {call.controller.mode === 'takeover' ? 'has taken over' : call.controller.mode === 'barge' ? 'has barged in' : 'is guiding the AI'}
          {!call.controller.connected && call.controller.graceEndsAt && ` — disconnected; the AI takes the call back at ${new Date(call.controller.graceEndsAt).toLocaleTimeString()}`}
        </p>
      )}
      {call?.disclosureOwed && call.controller && call.controller.mode !== 'whisper' && (
        <div className="disclosure-owed" role="alert" data-testid="disclosure-owed">
          <strong>Disclosure not finished.</strong> Read this to the caller first: <q>{call.disclosureOwed}</q>
          <span className="muted small"> If nobody does, the AI says it when the call is handed back.</span>
        </div>
      )}
      {call && call.alerts.length > 0 && (
        <div className="alerts" role="alert">
          {call.alerts.map((alert) => (
            <div key={alert.id} className={`alert alert-${alert.kind}`} data-testid="call-alert">
              <strong>{ALERT_TEXT[alert.kind]}</strong> {alert.message}
              <button type="button" className="ghost" onClick={() => dismiss(alert.id)}>
                Dismiss
              </button>
            </div>
          ))}
        </div>
      )}
      <div className="call-columns">
        <Transcript callId={callId} />
        <aside className="call-side">
          <EmotionPanel callId={callId} />
          <ContactCard callId={callId} />
          <ControlLog callId={callId} />
        </aside>
      </div>
      {call && <Controls callId={callId} />}
    </section>
  );
}
