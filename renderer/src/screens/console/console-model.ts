import type {
  CallDetail,
  ControlLogEntry,
  EngineEvent,
  LiveCallView,
  Speaker,
  SupervisorSpeech,
  TurnEmotion,
  TurnLatencyView,
  WaitingCaller,
} from '../../../../electron/contracts';

/**
 * The console's state as plain data, changed only by `applyEvent` and `applyDetail`. Everything
 * is keyed by call id, and a change to one call replaces only that call's objects: a transcript
 * line re-renders one card and one transcript, never the board.
 */

export interface TranscriptLine {
  key: string;
  speaker: Speaker;
  /** The supervisor's name on their lines. */
  name?: string;
  /** Null for a supervisor's speech no model could transcribe. */
  text: string | null;
  interrupted: boolean;
  startedAt: number;
  endedAt: number;
  latency: TurnLatencyView | null;
  /** The agent's words while it is still speaking them; replaced by its turn once it ends. */
  live?: boolean;
}

export interface EndedCall {
  /** The outcome in words ("Transfer requested, callback booked for tomorrow at ten"), never a code. */
  outcome: string;
  at: number;
  /** The call's last card; null when it ended while this console was away. */
  view: LiveCallView | null;
}

export interface ConsoleData {
  calls: Record<string, LiveCallView>;
  /** Live call ids in the order their calls started. */
  order: string[];
  lines: Record<string, TranscriptLine[]>;
  logs: Record<string, ControlLogEntry[]>;
  emotions: Record<string, TurnEmotion[]>;
  pendingLatency: Record<string, TurnLatencyView | undefined>;
  /** Calls that ended while the console watched: the "Ended" section, until dismissed. */
  ended: Record<string, EndedCall>;
  /** Callers waiting for a person (and ones just taken, showing by whom). */
  waiting: Record<string, WaitingCaller>;
  stats: Record<string, { agentFramesSent: number; supervisorFramesSent: number } | undefined>;
}

export const EMPTY_CONSOLE: ConsoleData = { calls: {}, order: [], lines: {}, logs: {}, emotions: {}, pendingLatency: {}, ended: {}, waiting: {}, stats: {} };

const MAX_LINES = 300;
const MAX_LOG = 100;
const MAX_EMOTIONS = 20;
const MAX_ENDED = 200;

const byStart = (calls: Record<string, LiveCallView>) =>
  Object.values(calls)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.callId.localeCompare(b.callId))
    .map((c) => c.callId);

function patchCall(data: ConsoleData, callId: string, patch: Partial<LiveCallView>): ConsoleData {
  const call = data.calls[callId];
  if (!call) return data;
  return { ...data, calls: { ...data.calls, [callId]: { ...call, ...patch } } };
}

function addLine(data: ConsoleData, callId: string, line: TranscriptLine): ConsoleData {
  const existing = data.lines[callId] ?? [];
  const at = existing.findIndex((l) => l.key === line.key);
  if (at >= 0) {
    // The same turn again (a caller who went on before the agent answered): the newer words win.
    const before = existing[at]!;
    if (before.text === line.text && before.interrupted === line.interrupted) return data;
    const replaced = existing.map((l, i) => (i === at ? { ...line, startedAt: before.startedAt, latency: line.latency ?? before.latency } : l));
    return { ...data, lines: { ...data.lines, [callId]: replaced } };
  }
  const next = [...existing, line].sort((a, b) => a.endedAt - b.endedAt);
  return { ...data, lines: { ...data.lines, [callId]: next.slice(-MAX_LINES) } };
}

function supervisorLine(speech: SupervisorSpeech): TranscriptLine {
  return { key: `sup-${speech.startedAt}`, speaker: 'supervisor', name: speech.supervisor, text: speech.text, interrupted: false, startedAt: speech.startedAt, endedAt: speech.endedAt, latency: null };
}

/** A notice about a call clears itself once that call has ended; others stay. */
export function noticeAfter<N extends { callId?: string }>(notice: N | null, event: EngineEvent): N | null {
  return notice && event.name === 'call.ended' && notice.callId === event.payload.callId ? null : notice;
}

/** The board snapshot on (re)connect: it is the truth about which calls are live. */
export function applyBoard(data: ConsoleData, board: LiveCallView[]): ConsoleData {
  const calls: Record<string, LiveCallView> = {};
  for (const view of board) calls[view.callId] = data.calls[view.callId] && sameView(data.calls[view.callId]!, view) ? data.calls[view.callId]! : view;
  const ended = { ...data.ended };
  for (const id of data.order) if (!calls[id] && !ended[id]) ended[id] = { outcome: 'Ended while this console was away', at: Date.now(), view: data.calls[id] ?? null };
  return { ...data, calls, order: byStart(calls), ended };
}

function sameView(a: LiveCallView, b: LiveCallView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The waiting queue snapshot on (re)connect. */
export function applyWaiting(data: ConsoleData, waiting: WaitingCaller[]): ConsoleData {
  return { ...data, waiting: Object.fromEntries(waiting.map((w) => [w.callId, w])) };
}

/** Takes an ended call's card off the "Ended" section. */
export function dismissEnded(data: ConsoleData, callId: string): ConsoleData {
  if (!data.ended[callId]) return data;
  const { [callId]: _gone, ...ended } = data.ended;
  return { ...data, ended };
}

/** The call view's snapshot: transcript with latency, supervisor speech, control log, stats. */
export function applyDetail(data: ConsoleData, detail: CallDetail): ConsoleData {
  const { callId } = detail.call;
  // An ended call's review: its card stays in the "Ended" section, not on the board.
  const over = Boolean(detail.call.endedAt) || Boolean(data.ended[callId]);
  let next: ConsoleData = over
    ? { ...data, ended: { ...data.ended, [callId]: { outcome: detail.call.outcome ?? data.ended[callId]?.outcome ?? 'Ended', at: data.ended[callId]?.at ?? Date.now(), view: detail.call } } }
    : { ...data, calls: { ...data.calls, [callId]: detail.call } };
  if (!over && !data.order.includes(callId)) next.order = byStart(next.calls);
  for (const turn of detail.turns) {
    next = addLine(next, callId, { key: `t-${turn.seq}`, speaker: turn.speaker, text: turn.text, interrupted: turn.interrupted, startedAt: turn.startedAt, endedAt: turn.endedAt, latency: turn.latency });
  }
  for (const speech of detail.supervisorSpeech) next = addLine(next, callId, supervisorLine(speech));
  return { ...next, logs: { ...next.logs, [callId]: detail.log.slice(-MAX_LOG) }, stats: { ...next.stats, [callId]: detail.stats } };
}

export function applyEmotionTrack(data: ConsoleData, callId: string, track: TurnEmotion[]): ConsoleData {
  return { ...data, emotions: { ...data.emotions, [callId]: track.slice(-MAX_EMOTIONS) } };
}

/** One engine event; returns the same object when the event changes nothing the console shows. */
export function applyEvent(data: ConsoleData, event: EngineEvent): ConsoleData {
  switch (event.name) {
    case 'call.live': {
      const calls = { ...data.calls, [event.payload.callId]: event.payload };
      return { ...data, calls, order: data.calls[event.payload.callId] ? data.order : byStart(calls) };
    }
    case 'call.activity': {
      const { callId, ...activity } = event.payload;
      const call = data.calls[callId];
      if (!call) return data;
      if (call.line === activity.line && call.agent === activity.agent && call.callerSpeaking === activity.callerSpeaking && call.supervisorSpeaking === activity.supervisorSpeaking) return data;
      return patchCall(data, callId, activity);
    }
    case 'call.answered':
      return patchCall(data, event.payload.callId, { line: 'in-call', answeredAt: new Date().toISOString() });
    case 'call.interim':
      return patchCall(data, event.payload.callId, { interim: event.payload.text });
    case 'call.agent-words': {
      const { callId, utterance, text, at: now } = event.payload;
      if (!data.calls[callId]) return data;
      const next = patchCall(data, callId, { lastLine: { speaker: 'agent', text, at: new Date(now).toISOString() } });
      return addLine(next, callId, { key: `live-${utterance}`, speaker: 'agent', text, interrupted: false, startedAt: now, endedAt: now, latency: null, live: true });
    }
    case 'call.turn': {
      const { callId, ...turn } = event.payload;
      if (!data.calls[callId]) return data;
      const latency = turn.speaker === 'agent' ? (data.pendingLatency[callId] ?? null) : null;
      let next = patchCall(data, callId, {
        lastLine: { speaker: turn.speaker, text: turn.text, at: new Date(turn.endedAt).toISOString() },
        ...(turn.speaker === 'caller' ? { interim: null } : {}),
      });
      if (turn.speaker === 'agent' && latency) next = { ...next, pendingLatency: { ...next.pendingLatency, [callId]: undefined } };
      // The agent's turn ends: its live words give way to what the caller heard (marked cut if they interrupted).
      if (turn.speaker === 'agent' && next.lines[callId]?.some((l) => l.live)) next = { ...next, lines: { ...next.lines, [callId]: next.lines[callId]!.filter((l) => !l.live) } };
      return addLine(next, callId, { key: `t-${turn.seq}`, speaker: turn.speaker, text: turn.text, interrupted: turn.interrupted, startedAt: turn.startedAt, endedAt: turn.endedAt, latency });
    }
    case 'call.latency': {
      const { callId, ...latency } = event.payload;
      if (!data.calls[callId]) return data;
      return { ...data, pendingLatency: { ...data.pendingLatency, [callId]: latency } };
    }
    case 'call.answers':
      return patchCall(data, event.payload.callId, { answers: event.payload.answers });
    case 'call.emotion': {
      const reading = event.payload;
      if (!data.calls[reading.callId]) return data;
      const history = [...(data.emotions[reading.callId] ?? []).filter((r) => r.seq !== reading.seq), reading].sort((a, b) => a.seq - b.seq).slice(-MAX_EMOTIONS);
      const next = patchCall(data, reading.callId, { emotion: { label: reading.smoothed.label, confidence: reading.confidence, valence: reading.smoothed.valence, arousal: reading.smoothed.arousal } });
      return { ...next, emotions: { ...next.emotions, [reading.callId]: history } };
    }
    case 'call.attention':
      return patchCall(data, event.payload.callId, { alerts: event.payload.alerts });
    case 'call.control': {
      const { callId, controller, listeners, entry } = event.payload;
      if (!data.calls[callId]) return data;
      const next = patchCall(data, callId, { controller, listeners });
      return { ...next, logs: { ...next.logs, [callId]: [...(next.logs[callId] ?? []), entry].slice(-MAX_LOG) } };
    }
    case 'call.supervisor-speech': {
      const speech = event.payload;
      if (!data.calls[speech.callId]) return data;
      const next = speech.text ? patchCall(data, speech.callId, { lastLine: { speaker: 'supervisor', text: speech.text, at: new Date(speech.endedAt).toISOString() } }) : data;
      return addLine(next, speech.callId, supervisorLine(speech));
    }
    case 'call.ended': {
      const { callId } = event.payload;
      const { [callId]: _wait, ...waiting } = data.waiting;
      if (!data.calls[callId]) return data.waiting[callId] ? { ...data, waiting } : data;
      const { [callId]: view, ...calls } = data.calls;
      // The words come with `call.concluded`; until then it just says it ended.
      const ended = { ...data.ended, [callId]: { outcome: data.ended[callId]?.outcome ?? 'Call ended', at: Date.now(), view: view ?? null } };
      const keep = Object.keys(ended).slice(-MAX_ENDED);
      return { ...data, calls, waiting, order: data.order.filter((id) => id !== callId), ended: Object.fromEntries(keep.map((id) => [id, ended[id]!])) };
    }
    case 'call.concluded': {
      const { callId, outcome, endedAt } = event.payload;
      const before = data.ended[callId];
      const view = before?.view ?? data.calls[callId] ?? null;
      return { ...data, ended: { ...data.ended, [callId]: { outcome, at: before?.at ?? Date.parse(endedAt), view: view ? { ...view, outcome, endedAt } : null } } };
    }
    case 'call.person-waiting':
      return { ...data, waiting: { ...data.waiting, [event.payload.callId]: event.payload } };
    case 'call.person-taken': {
      const entry = data.waiting[event.payload.callId];
      return entry ? { ...data, waiting: { ...data.waiting, [entry.callId]: { ...entry, takenBy: event.payload.by } } } : data;
    }
    case 'call.person-wait-over': {
      const entry = data.waiting[event.payload.callId];
      if (!entry) return data;
      // Taken by someone: it stays a moment showing who (the console clears it); otherwise it goes.
      if (entry.takenBy && (event.payload.end === 'taken-over' || event.payload.end === 'transferred')) return data;
      const { [entry.callId]: _gone, ...waiting } = data.waiting;
      return { ...data, waiting };
    }
    default:
      return data;
  }
}

/** Board filters and sorting, pure so the board's id list is stable while nothing it shows changed. */
export interface BoardFilter {
  campaignId: string;
  alertsOnly: boolean;
  sort: 'started' | 'campaign' | 'alerts';
}

export const ALL_CAMPAIGNS = '*';

export function visibleCalls(data: Pick<ConsoleData, 'calls' | 'order'>, filter: BoardFilter): string[] {
  let ids = data.order.filter((id) => {
    const call = data.calls[id];
    if (!call) return false;
    if (filter.campaignId !== ALL_CAMPAIGNS && call.campaignId !== filter.campaignId) return false;
    return !filter.alertsOnly || call.alerts.length > 0;
  });
  if (filter.sort === 'campaign') ids = [...ids].sort((a, b) => data.calls[a]!.campaignName.localeCompare(data.calls[b]!.campaignName));
  if (filter.sort === 'alerts') ids = [...ids].sort((a, b) => data.calls[b]!.alerts.length - data.calls[a]!.alerts.length);
  return ids;
}

/** The campaigns that have live calls, for the board's filter. */
export function liveCampaigns(calls: Record<string, LiveCallView>): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const call of Object.values(calls)) if (call.campaignId) seen.set(call.campaignId, call.campaignName);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
