import { useEffect, useRef, useState } from 'react';
import { readWhisper } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { supervisorAudio, useAudio } from './audio/supervisor-audio';
import { useConsole } from './console-store';
import { useIdentity } from './identity';
import { SHORTCUTS, shortcutFor, withShortcut, type ShortcutAction } from './shortcuts';

/** A local time an hour from now, in the format of <input type="datetime-local">. */
function inAnHour(): string {
  const d = new Date(Date.now() + 3_600_000);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * The supervisor's controls for one call, each a contract command the engine logs on the call:
 * listen, whisper, barge in, take over, hand back, end, do-not-call, callback, note. Every one has
 * an Alt+letter shortcut, shown in its tooltip.
 */
export function Controls({ callId }: { callId: string }) {
  const client = useClient();
  const call = useConsole((s) => s.calls[callId]);
  const say = useConsole((s) => s.say);
  const me = useIdentity((s) => s.id);
  const name = useIdentity((s) => s.name);
  const listening = useAudio((s) => Boolean(s.listening[callId]));
  const waiting = useConsole((s) => Boolean(s.waiting[callId] && !s.waiting[callId]!.takenBy));
  const speaking = useAudio((s) => (s.speaking?.callId === callId ? s.speaking.mode : null));
  const micLevel = useAudio((s) => s.micLevel);
  const [whisper, setWhisper] = useState('');
  /** What the agent made of the last whisper, or why it refused it (shown beside the box). */
  const [whisperResult, setWhisperResult] = useState<{ delivered: boolean; detail: string } | null>(null);
  const [note, setNote] = useState('');
  const [callbackAt, setCallbackAt] = useState(inAnHour);
  const [callbackFor, setCallbackFor] = useState<'ai' | 'me'>('ai');
  const [busy, setBusy] = useState<string | null>(null);
  const [endArmed, setEndArmed] = useState(false);
  const whisperBox = useRef<HTMLInputElement>(null);
  const noteBox = useRef<HTMLInputElement>(null);
  const callbackBox = useRef<HTMLInputElement>(null);

  const live = Boolean(call);
  const controller = call?.controller ?? null;
  const mine = controller?.supervisorId === me;
  const othersHaveIt = Boolean(controller && !mine && controller.connected);
  const answered = call?.line === 'in-call';
  // The scripted agent takes a whisper only as a move of its script: say which while it is typed, and
  // refuse before sending what it cannot take (the engine decides the same way).
  const whisperReading = call?.agentKind === 'scripted' && whisper.trim() ? readWhisper(whisper, call.questions) : null;
  const whisperRefused = Boolean(whisperReading && !whisperReading.move);

  const run = async (label: string, work: () => Promise<string | void>) => {
    setBusy(label);
    try {
      const message = await work();
      if (message) say('info', message, callId);
    } catch (error) {
      say('error', (error as Error).message, callId);
    } finally {
      setBusy(null);
    }
  };

  const actions: Record<Exclude<ShortcutAction, 'next' | 'previous' | 'softphone'>, () => void> = {
    listen: () =>
      void run('listen', async () => {
        if (supervisorAudio.isListening(callId)) supervisorAudio.stopListening(callId);
        else await supervisorAudio.listen(client, callId);
      }),
    whisper: () => {
      if (!whisper.trim() || whisperRefused) return;
      void run('whisper', async () => {
        const result = await client.call('supervision.whisper', { callId, text: whisper });
        setWhisperResult(result);
        // A refused whisper stays in the box, to be reworded or said by taking over.
        if (!result.delivered) return;
        setWhisper('');
        return `Whisper sent. ${result.detail}`;
      });
    },
    barge: () => void run('barge', () => supervisorAudio.speak(client, callId, 'barge').then(() => 'You are on the call; the AI yields while you speak.')),
    takeover: () => void run('takeover', () => supervisorAudio.speak(client, callId, 'takeover').then(() => 'You have the call; the AI is silent until you hand it back.')),
    handBack: () =>
      void run('handBack', async () => {
        const { summary } = await client.call('supervision.handBack', { callId });
        supervisorAudio.stopSpeaking(callId);
        return summary ? `Handed back. The AI resumes with: ${summary}` : 'Released: the AI has the call.';
      }),
    endCall: () => {
      if (!endArmed) {
        setEndArmed(true);
        setTimeout(() => setEndArmed(false), 3_000);
        return;
      }
      setEndArmed(false);
      void run('endCall', async () => {
        await client.call('supervision.endCall', { callId });
        return 'Call ended.';
      });
    },
    dnc: () =>
      void run('dnc', async () => {
        const { phone } = await client.call('supervision.markDnc', { callId });
        return `${phone} is on the do-not-call list.`;
      }),
    callback: () => {
      void run('callback', async () => {
        const result = await client.call('supervision.scheduleCallback', { callId, at: new Date(callbackAt).toISOString(), assignTo: callbackFor });
        return result.detail;
      });
    },
    note: () => {
      if (!note.trim()) return;
      void run('note', async () => {
        await client.call('supervision.note', { callId, text: note });
        setNote('');
        return 'Note added to the call.';
      });
    },
  };
  const latest = useRef(actions);
  latest.current = actions;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor(event);
      if (!action || action === 'next' || action === 'previous' || action === 'softphone') return;
      event.preventDefault();
      // The text controls: the first press goes to their box, the next one sends.
      const box = { whisper: whisperBox, note: noteBox, callback: callbackBox }[action as string];
      if (box && document.activeElement !== box.current) return box.current?.focus();
      latest.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const button = (action: keyof typeof actions, label: string, options: { disabled?: boolean; className?: string; pressed?: boolean } = {}) => (
    <button
      type="button"
      className={options.className}
      title={withShortcut(label, action)}
      aria-keyshortcuts={SHORTCUTS[action].label}
      aria-pressed={options.pressed}
      disabled={!live || busy !== null || options.disabled}
      onClick={() => actions[action]()}
      data-testid={`control-${action}`}
    >
      {label}
    </button>
  );

  return (
    <section className="controls" aria-label="Controls" data-testid="controls">
      {!name.trim() && <p className="error">Enter your name at the top of the console to use the controls.</p>}
      {othersHaveIt && (
        <p className="controlled-by" data-testid="controlled-by">
          {controller!.name} controls this call ({controller!.mode}). You can listen and add notes.
        </p>
      )}
      <div className="control-row">
        {button('listen', listening ? 'Stop listening' : 'Listen', { pressed: listening })}
        {button('barge', 'Barge in', { disabled: othersHaveIt || !answered, pressed: speaking === 'barge' })}
        {/* Once the call is yours, handing it back is the next step: Take over is no longer the primary button. */}
        {button('takeover', 'Take over', { disabled: othersHaveIt || !answered, pressed: speaking === 'takeover', className: mine ? undefined : 'primary' })}
        {button('handBack', mine && controller?.mode === 'whisper' ? 'Release' : 'Hand back', { disabled: !mine, className: mine ? 'primary' : undefined })}
        {button('endCall', endArmed ? 'Press again to end' : 'End call', { disabled: othersHaveIt, className: 'danger' })}
        {button('dnc', 'Do not call', { disabled: othersHaveIt || !call?.phone })}
        <button
          type="button"
          disabled={!live || busy !== null || !answered || waiting}
          title="The AI tells the caller it is fetching a colleague; the call joins the waiting queue on every console"
          onClick={() =>
            void run('requestPerson', async () => {
              await client.call('transfers.request', { callId });
              return 'The caller is waiting for a person; accept it above.';
            })
          }
          data-testid="control-request-person"
        >
          {waiting ? 'Waiting for a person' : 'Request a person'}
        </button>
        {speaking && micLevel !== null && (
          <span className="mic-meter" title="Your microphone, live on the call" data-testid="mic-meter">
            Mic <span className="mic-bar" style={{ width: `${Math.max(4, micLevel * 100)}%` }} />
          </span>
        )}
      </div>
      <form
        className="control-row"
        onSubmit={(e) => {
          e.preventDefault();
          actions.whisper();
        }}
      >
        <input ref={whisperBox} value={whisper} onChange={(e) => {
            setWhisper(e.target.value);
            setWhisperResult(null);
          }} maxLength={500} placeholder="Whisper to the AI (the caller does not hear it)" aria-label="Whisper" data-testid="whisper-text" />
        {button('whisper', 'Whisper', { disabled: othersHaveIt || !whisper.trim() || whisperRefused })}
        {!whisperResult && whisperReading && (
          <span className={whisperReading.move ? 'whisper-result' : 'whisper-result error'} role="status" data-testid="whisper-preview">
            {whisperReading.detail}
          </span>
        )}
        {whisperResult && (
          <span className={whisperResult.delivered ? 'whisper-result' : 'whisper-result error'} role="status" data-testid="whisper-result">
            {whisperResult.delivered ? `Sent. ${whisperResult.detail}` : whisperResult.detail}
          </span>
        )}
      </form>
      <form
        className="control-row"
        onSubmit={(e) => {
          e.preventDefault();
          actions.note();
        }}
      >
        <input ref={noteBox} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} placeholder="Note on this call" aria-label="Note" data-testid="note-text" />
        {button('note', 'Add note', { disabled: !note.trim() })}
      </form>
      <form
        className="control-row"
        onSubmit={(e) => {
          e.preventDefault();
          actions.callback();
        }}
      >
        <input ref={callbackBox} type="datetime-local" value={callbackAt} onChange={(e) => setCallbackAt(e.target.value)} aria-label="Callback time" data-testid="callback-at" />
        <select value={callbackFor} onChange={(e) => setCallbackFor(e.target.value as 'ai' | 'me')} aria-label="Who calls back" data-testid="callback-for">
          <option value="ai">The AI calls back</option>
          <option value="me">I call back</option>
        </select>
        {button('callback', 'Schedule callback', { disabled: othersHaveIt })}
      </form>
    </section>
  );
}
