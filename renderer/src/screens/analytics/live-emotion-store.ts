import { create } from 'zustand';
import type { FrustrationAlert, ParleyClient, TurnEmotion } from '../../../../electron/contracts';

/** The latest reading of each call the engine is reading, plus recent frustration alerts. */
interface LiveEmotionState {
  byCall: Record<string, { latest: TurnEmotion; history: TurnEmotion[] }>;
  alerts: FrustrationAlert[];
  record(reading: TurnEmotion): void;
  alert(alert: FrustrationAlert): void;
  dismiss(callId: string): void;
}

const HISTORY = 20;
const MAX_ALERTS = 20;
/** Calls with no reading for this long drop off the live panel. */
export const LIVE_WINDOW_MS = 10 * 60_000;

export const useLiveEmotion = create<LiveEmotionState>((set, get) => ({
  byCall: {},
  alerts: [],
  record(reading) {
    const previous = get().byCall[reading.callId]?.history ?? [];
    const history = [...previous.filter((r) => r.seq !== reading.seq), reading].sort((a, b) => a.seq - b.seq).slice(-HISTORY);
    const cutoff = Date.parse(reading.at) - LIVE_WINDOW_MS;
    const kept = Object.fromEntries(Object.entries(get().byCall).filter(([, c]) => Date.parse(c.latest.at) >= cutoff));
    set({ byCall: { ...kept, [reading.callId]: { latest: reading, history } } });
  },
  alert(alert) {
    set({ alerts: [alert, ...get().alerts].slice(0, MAX_ALERTS) });
  },
  dismiss(callId) {
    set({ alerts: get().alerts.filter((a) => a.callId !== callId) });
  },
}));

/** Feeds the store from engine events; call once at start (main.tsx). Returns the unsubscribe. */
export function subscribeLiveEmotion(client: ParleyClient): () => void {
  const offEmotion = client.on('call.emotion', (reading) => useLiveEmotion.getState().record(reading));
  const offAlert = client.on('call.frustration', (alert) => useLiveEmotion.getState().alert(alert));
  return () => {
    offEmotion();
    offAlert();
  };
}
