import { z } from 'zod';
import { EmotionLabel } from './emotion';
import { CallbackAssignee } from './callbacks';
import { TranscriptTurnView, TurnLatencyView } from './voice';

/**
 * The live agent console: the board of active calls, one call's view, and the supervisor's
 * controls (listen, whisper, barge in, take over, hand back, end, do-not-call, callback, note).
 * Only one supervisor controls a call at a time; the others see who has it.
 */

const CallId = z.string().min(1).max(64);

/** Who is acting: always the session's user (id and display name), never a payload field. */
export const Supervisor = z
  .object({
    id: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1, 'Enter your name first').max(60, 'A name is at most 60 characters'),
  })
  .strict();
export type Supervisor = z.infer<typeof Supervisor>;

/** How the controlling supervisor is involved. Listening alone needs no control of the call. */
export const ControlMode = z.enum(['whisper', 'barge', 'takeover']);
export type ControlMode = z.infer<typeof ControlMode>;

export const CallController = z.object({
  supervisorId: z.string(),
  name: z.string(),
  mode: ControlMode,
  since: z.string(),
  /** False once the supervisor's console stopped answering; the call goes back to the AI at `graceEndsAt`. */
  connected: z.boolean(),
  graceEndsAt: z.string().nullable(),
});
export type CallController = z.infer<typeof CallController>;

export const AlertKind = z.enum(['transfer-requested', 'do-not-call', 'abusive', 'frustration', 'long-silence', 'error']);
export type AlertKind = z.infer<typeof AlertKind>;

export const CallAlert = z.object({
  id: z.string(),
  kind: AlertKind,
  message: z.string(),
  at: z.string(),
});
export type CallAlert = z.infer<typeof CallAlert>;

export const ALERT_TEXT: Record<AlertKind, string> = {
  'transfer-requested': 'Transfer requested',
  'do-not-call': 'Asked not to be called',
  abusive: 'Abusive language',
  frustration: 'Frustration rising',
  'long-silence': 'Long silence',
  error: 'Tool / engine error',
};

export const LineState = z.enum(['dialing', 'ringing', 'in-call']);
export const AgentActivity = z.enum(['listening', 'thinking', 'speaking', 'held']);
export type AgentActivity = z.infer<typeof AgentActivity>;

export const CallActivity = z.object({
  line: LineState,
  agent: AgentActivity,
  callerSpeaking: z.boolean(),
  supervisorSpeaking: z.boolean(),
});
export type CallActivity = z.infer<typeof CallActivity>;

export const Speaker = z.enum(['caller', 'agent', 'supervisor']);
export type Speaker = z.infer<typeof Speaker>;

export const QuestionAnswer = z.object({ question: z.string(), answer: z.string() });
export type QuestionAnswer = z.infer<typeof QuestionAnswer>;

export const EmotionNow = z.object({ label: EmotionLabel, confidence: z.number(), valence: z.number(), arousal: z.number() });

/** One card of the board. */
export const LiveCallView = z.object({
  callId: z.string(),
  campaignId: z.string().nullable(),
  campaignName: z.string(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  phone: z.string(),
  telephony: z.string(),
  /** On a simulated line: a rehearsal that writes no real record. */
  dryRun: z.boolean(),
  /** 'inbound': the caller rang one of our lines. */
  direction: z.enum(['outbound', 'inbound']),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  ...CallActivity.shape,
  lastLine: z.object({ speaker: Speaker, text: z.string(), at: z.string() }).nullable(),
  interim: z.string().nullable(),
  emotion: EmotionNow.nullable(),
  alerts: z.array(CallAlert),
  controller: CallController.nullable(),
  listeners: z.number(),
  /** The personalised context the agent was given about the contact. */
  context: z.string().nullable(),
  /** Who the caller talks to: the scripted flow takes a whisper only as one of its moves. */
  agentKind: z.enum(['scripted', 'llm']).optional(),
  /** A person took over before the caller heard the whole disclosure: the text to read (the AI says it on hand back). */
  disclosureOwed: z.string().nullable().optional(),
  questions: z.array(z.string()),
  answers: z.array(QuestionAnswer),
  /** Set once the call is over: when, and the outcome in words (never an internal code). */
  endedAt: z.string().nullable().optional(),
  outcome: z.string().nullable().optional(),
});
export type LiveCallView = z.infer<typeof LiveCallView>;

/** The board's state column, derived the same way in the engine and the console. */
export type BoardState = 'dialing' | 'ringing' | 'ai-talking' | 'caller-talking' | 'ai-thinking' | 'connected' | 'on-hold' | 'supervisor';

export const BOARD_STATE_TEXT: Record<BoardState, string> = {
  dialing: 'Dialing',
  ringing: 'Ringing',
  'ai-talking': 'AI talking',
  'caller-talking': 'Caller talking',
  'ai-thinking': 'AI thinking',
  connected: 'Connected',
  'on-hold': 'On hold',
  supervisor: 'Supervisor in control',
};

export function boardStateOf(call: Pick<LiveCallView, 'line' | 'agent' | 'callerSpeaking' | 'controller'>): BoardState {
  if (call.line !== 'in-call') return call.line;
  const c = call.controller;
  if (c && !c.connected && (c.mode === 'takeover' || c.mode === 'barge')) return 'on-hold';
  if (c && (c.mode === 'takeover' || c.mode === 'barge')) return 'supervisor';
  if (call.callerSpeaking) return 'caller-talking';
  if (call.agent === 'speaking') return 'ai-talking';
  if (call.agent === 'thinking') return 'ai-thinking';
  return 'connected';
}

export const ControlAction = z.enum([
  'listen',
  'listen-stopped',
  'whisper',
  'barge',
  'takeover',
  'hand-back',
  'released',
  'disconnected',
  'reconnected',
  'returned-to-ai',
  'end-call',
  'mark-dnc',
  'schedule-callback',
  'note',
  'alert-dismissed',
  'person-requested',
  'person-accepted',
  'person-wait-over',
]);
export type ControlAction = z.infer<typeof ControlAction>;

/** One line of a call's control log (also written to the call's events). */
export const ControlLogEntry = z.object({
  at: z.string(),
  action: ControlAction,
  supervisor: z.string().nullable(),
  detail: z.string(),
});
export type ControlLogEntry = z.infer<typeof ControlLogEntry>;

/** A stretch of the supervisor's voice on the call; `text` when a speech model could transcribe it. */
export const SupervisorSpeech = z.object({
  callId: z.string(),
  supervisor: z.string(),
  text: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number(),
});
export type SupervisorSpeech = z.infer<typeof SupervisorSpeech>;

export const CallTurn = TranscriptTurnView.extend({ latency: TurnLatencyView.nullable() });
export type CallTurn = z.infer<typeof CallTurn>;

export const CallDetail = z.object({
  call: LiveCallView,
  turns: z.array(CallTurn),
  supervisorSpeech: z.array(SupervisorSpeech),
  log: z.array(ControlLogEntry),
  stats: z.object({ agentFramesSent: z.number(), supervisorFramesSent: z.number() }),
});
export type CallDetail = z.infer<typeof CallDetail>;

/** Opens an audio stream over the binary channel (WebSocket frames, or a MessagePort in Electron). */
export const AudioStreamTicket = z.object({ token: z.string(), callId: z.string(), expiresAt: z.string() });
export type AudioStreamTicket = z.infer<typeof AudioStreamTicket>;

/** The supervisor who acts is the session's user; payloads name only the call. */
const Act = z.object({ callId: CallId }).strict();

export const supervisionCommands = {
  'supervision.board': { request: z.object({}).strict(), response: z.array(LiveCallView) },
  'supervision.call': { request: z.object({ callId: CallId }).strict(), response: CallDetail },
  /** The console says it is still there (every second or so); a silent one loses control after a grace period. */
  'supervision.heartbeat': {
    request: z.object({}).strict(),
    response: z.object({ controlling: z.array(z.string()) }),
  },
  'supervision.listen': { request: Act, response: AudioStreamTicket },
  'supervision.whisper': {
    request: Act.extend({ text: z.string().trim().min(1, 'Type what the agent should know').max(500, 'A whisper is at most 500 characters') }).strict(),
    response: z.object({ delivered: z.boolean(), detail: z.string() }),
  },
  /** The supervisor's microphone joins the call; the AI yields while they speak. */
  'supervision.barge': { request: Act, response: AudioStreamTicket },
  /** The AI goes silent and stops generating; the supervisor talks to the caller. */
  'supervision.takeover': { request: Act, response: AudioStreamTicket },
  /** Gives the call back to the AI, which resumes with a summary of what was said meanwhile. */
  'supervision.handBack': { request: Act, response: z.object({ summary: z.string() }) },
  'supervision.endCall': { request: Act.extend({ reason: z.string().trim().max(200).optional() }).strict(), response: z.object({ ended: z.boolean() }) },
  'supervision.markDnc': {
    request: Act.extend({ reason: z.string().trim().max(200).optional() }).strict(),
    response: z.object({ phone: z.string() }),
  },
  'supervision.scheduleCallback': {
    request: Act.extend({ at: z.iso.datetime({ offset: true }), note: z.string().trim().max(500).optional(), assignTo: CallbackAssignee.optional() }).strict(),
    response: z.object({ at: z.string(), queued: z.boolean(), detail: z.string() }),
  },
  'supervision.note': {
    request: Act.extend({ text: z.string().trim().min(1, 'A note cannot be empty').max(2_000) }).strict(),
    response: ControlLogEntry,
  },
  'supervision.dismissAlert': { request: Act.extend({ alertId: z.string().min(1).max(64) }).strict(), response: z.object({ alerts: z.array(CallAlert) }) },
  /** A test call from the desk agent's own microphone and speakers to a campaign's AI agent. */
  'softphone.call': {
    request: z.object({ campaignId: CallId }).strict(),
    response: AudioStreamTicket,
  },
} as const;

export const supervisionEvents = {
  /** A call appeared on the board (or its card changed as a whole). */
  'call.live': LiveCallView,
  'call.activity': z.object({ callId: z.string() }).extend(CallActivity.shape),
  /** The caller's words so far in the turn they are still speaking (greyed until final). */
  'call.interim': z.object({ callId: z.string(), text: z.string() }),
  /**
   * The agent's words so far in the utterance it is speaking (a sentence at a time, as the voice
   * starts each one); `call.turn` then gives what the caller heard, marked cut if they interrupted.
   */
  'call.agent-words': z.object({ callId: z.string(), utterance: z.number(), text: z.string(), at: z.number() }),
  'call.answers': z.object({ callId: z.string(), answers: z.array(QuestionAnswer) }),
  'call.control': z.object({ callId: z.string(), controller: CallController.nullable(), listeners: z.number(), entry: ControlLogEntry }),
  'call.attention': z.object({ callId: z.string(), alerts: z.array(CallAlert), raised: CallAlert.nullable() }),
  'call.supervisor-speech': SupervisorSpeech,
} as const;
