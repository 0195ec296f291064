import { create } from 'zustand';
import type { EventName, ParleyClient } from '../../../../electron/contracts';
import { useConnection } from '../../store/connection';
import { playAlertChime } from './audio/player';
import { supervisorAudio } from './audio/supervisor-audio';
import { useConsole } from './console-store';
import { useSession } from '../../store/session';

const CONSOLE_EVENTS = new Set<EventName>([
  'call.live',
  'call.activity',
  'call.answered',
  'call.interim',
  'call.agent-words',
  'call.turn',
  'call.latency',
  'call.answers',
  'call.emotion',
  'call.attention',
  'call.control',
  'call.supervisor-speech',
  'call.ended',
  'call.concluded',
  'call.person-waiting',
  'call.person-taken',
  'call.person-wait-over',
]);

/** Every second: what durations on the board count from (only the duration labels re-render). */
export const useNow = create<{ now: number }>(() => ({ now: Date.now() }));

const HEARTBEAT_MS = 1_500;

/**
 * Feeds the console from the engine (no polling): the board snapshot whenever the connection opens,
 * then events. Keeps this console "present" for the calls it controls, and rings on new alerts.
 * Call once at start (main.tsx); returns the unsubscribe.
 */
export function subscribeConsole(client: ParleyClient): () => void {
  supervisorAudio.notify = (kind, text) => useConsole.getState().say(kind, text);
  const off = client.onAny((event) => {
    if (!CONSOLE_EVENTS.has(event.name)) return;
    useConsole.getState().event(event);
    if (event.name === 'call.attention' && event.payload.raised && useConsole.getState().alertSound) playAlertChime();
    // A caller newly waiting for a person rings every console.
    if (event.name === 'call.person-waiting' && !event.payload.takenBy && useConsole.getState().alertSound) playAlertChime();
  });
  const load = () =>
    Promise.all([
      client.call('supervision.board', {}).then(
        (board) => useConsole.getState().board(board),
        () => undefined, // the next open tries again
      ),
      client.call('transfers.waiting', {}).then(
        (waiting) => useConsole.getState().waitingSnapshot(waiting),
        () => undefined,
      ),
    ]);
  const offStatus = useConnection.subscribe((state, previous) => {
    if (state.status === 'open' && previous.status !== 'open') void load();
  });
  // Signing in (or again, as someone else) shows that user's board.
  const offSession = useSession.subscribe((state, previous) => {
    if (state.state === 'signed-in' && (previous.state !== 'signed-in' || state.user?.id !== previous.user?.id)) void load();
  });
  if (useConnection.getState().status === 'open') void load();
  const heartbeat = setInterval(() => {
    if (useConnection.getState().status === 'open' && useSession.getState().state === 'signed-in') void client.call('supervision.heartbeat', {}).catch(() => undefined);
  }, HEARTBEAT_MS);
  const tick = setInterval(() => useNow.setState({ now: Date.now() }), 1_000);
  return () => {
    off();
    offStatus();
    offSession();
    clearInterval(heartbeat);
    clearInterval(tick);
  };
}
