import { create } from 'zustand';
import type { CallDetail, EngineEvent, LiveCallView, TurnEmotion, WaitingCaller } from '../../../../electron/contracts';
import { ALL_CAMPAIGNS, applyBoard, applyDetail, applyEmotionTrack, applyEvent, applyWaiting, dismissEnded, EMPTY_CONSOLE, noticeAfter, type BoardFilter, type ConsoleData } from './console-model';

interface ConsoleState extends ConsoleData {
  selectedId: string | null;
  filter: BoardFilter;
  /** Play a sound when an alert is raised. */
  alertSound: boolean;
  /** The last message for the desk agent (an error from a control, a result); one about a call goes when the call ends. */
  notice: { kind: 'error' | 'info'; text: string; callId?: string } | null;
  event(event: EngineEvent): void;
  board(board: LiveCallView[]): void;
  detail(detail: CallDetail): void;
  waitingSnapshot(waiting: WaitingCaller[]): void;
  dismissEnded(callId: string): void;
  /** Clears a caller someone already took off the waiting list. */
  clearWaiting(callId: string): void;
  emotionTrack(callId: string, track: TurnEmotion[]): void;
  select(callId: string | null): void;
  setFilter(patch: Partial<BoardFilter>): void;
  setAlertSound(on: boolean): void;
  say(kind: 'error' | 'info', text: string, callId?: string): void;
  clearNotice(): void;
}

/**
 * The live console's store, keyed by call id. Components select one call's card, transcript or
 * log; a change to one call replaces only that call's objects (see console-model.ts).
 */
export const useConsole = create<ConsoleState>((set) => ({
  ...EMPTY_CONSOLE,
  selectedId: null,
  filter: { campaignId: ALL_CAMPAIGNS, alertsOnly: false, sort: 'started' },
  alertSound: true,
  notice: null,
  event: (event) =>
    set((state) => {
      const next = applyEvent(state, event);
      const notice = noticeAfter(state.notice, event);
      if (notice !== state.notice) return { ...next, notice };
      return next === state ? state : next;
    }),
  board: (board) => set((state) => applyBoard(state, board)),
  detail: (detail) => set((state) => applyDetail(state, detail)),
  waitingSnapshot: (waiting) => set((state) => applyWaiting(state, waiting)),
  dismissEnded: (callId) => set((state) => ({ ...dismissEnded(state, callId), selectedId: state.selectedId === callId ? null : state.selectedId })),
  clearWaiting: (callId) =>
    set((state) => {
      const { [callId]: _gone, ...waiting } = state.waiting;
      return { waiting };
    }),
  emotionTrack: (callId, track) => set((state) => applyEmotionTrack(state, callId, track)),
  select: (selectedId) => set({ selectedId }),
  setFilter: (patch) => set((state) => ({ filter: { ...state.filter, ...patch } })),
  setAlertSound: (alertSound) => set({ alertSound }),
  say: (kind, text, callId) => set({ notice: callId ? { kind, text, callId } : { kind, text } }),
  clearNotice: () => set({ notice: null }),
}));
