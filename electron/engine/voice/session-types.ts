import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from '../ports/speech';
import type { AgentAction } from './agents/types';
import type { TranscriptTurn, TurnLatency } from './observers';
import { DEFAULT_TURN_OPTIONS, type TurnOptions } from './user-turn-processor';
import { DEFAULT_VAD, type VadOptions } from './vad-processor';

/** The shapes a CallSession takes and gives back (kept apart so the session file stays about the call). */

export interface CallEngines {
  vad: VoiceActivityDetector;
  stt: SpeechToText;
  tts: TextToSpeech;
  /** Spoken with when `tts` fails mid-call (espeak-ng). */
  fallbackTts?: TextToSpeech;
}

export interface SessionOptions {
  vad: VadOptions;
  turns: TurnOptions;
  /** Nothing from the caller for this long after the agent finished: ask once, then say goodbye. */
  silenceTimeoutMs: number;
  maxDurationMs: number;
  /**
   * Caller frames allowed to wait for the VAD before new ones are dropped (the call fell behind).
   * Three seconds: a machine stalled for a moment catches up (late, but nothing lost); one that
   * cannot keep up at all sheds load instead of queueing without end.
   */
  maxInputBacklogFrames: number;
  voice?: string;
  language?: string;
  /** Mask card numbers, SSNs and long digit runs in the transcript before it leaves the session. */
  redact?: boolean;
}

export const DEFAULT_SESSION: SessionOptions = {
  vad: DEFAULT_VAD,
  turns: DEFAULT_TURN_OPTIONS,
  silenceTimeoutMs: 10_000,
  maxDurationMs: 15 * 60_000,
  maxInputBacklogFrames: 150,
};

export type SessionEnd = 'agent' | 'caller' | 'carrier' | 'error' | 'timeout' | 'supervisor';

/** What the live console follows: who is talking, the agent's state, the caller's words so far. */
export type SessionActivity =
  | { type: 'caller-speaking'; speaking: boolean }
  | { type: 'agent'; state: 'listening' | 'thinking' | 'speaking' }
  | { type: 'interim'; text: string }
  /** The agent's words so far in the utterance it is speaking, growing a sentence at a time as the voice starts each one. */
  | { type: 'agent-words'; utterance: number; text: string };

export interface SessionIssue {
  stage: string;
  message: string;
  fatal: boolean;
}

export interface SessionHooks {
  onTurn?(turn: TranscriptTurn): void;
  onLatency?(latency: TurnLatency): void;
  /** Do-not-call, callback, transfer: as soon as the agent decides them. */
  onDisposition?(action: AgentAction): void;
  onIssue?(issue: SessionIssue): void;
  onBackchannel?(text: string): void;
  /** The caller barged in (monotonic ms of the decision). */
  onInterruption?(at: number): void;
  /** The caller answered the recording-consent question. */
  onRecordingConsent?(granted: boolean, answer: string): void;
}

/**
 * The call's recorder as the session drives it: audio in and out as it happens, the caller's speech
 * edges and words (for redaction), and when recording may start (after the disclosure was heard,
 * and after a clear yes when consent is asked) or must not happen at all.
 */
export interface SessionRecorder {
  readonly needsConsent: boolean;
  begin(): void;
  decline(why: string): void;
  /** Caller audio at the line's rate; `streamMs`: its position in the inbound stream (the VAD's clock). */
  inbound(frame: Int16Array, sampleRate: number, streamMs: number): void;
  /** What the caller hears (agent, supervisor), at the line's rate, as it goes to the line. */
  outbound(frame: Int16Array, sampleRate: number): void;
  callerSpeech(edge: 'start' | 'stop', streamMs: number): void;
  /** A caller turn's (or backchannel's) words, once known. */
  callerText(text: string): void;
}

export interface SessionStats {
  inboundFrames: number;
  droppedFrames: number;
  /** Time spent processing caller audio (resampling, VAD, turn-taking) over its duration. */
  realTimeFactor: number;
  underruns: number;
  interruptions: number;
  clearedFrames: number;
  agentFramesSent: number;
}

export interface SessionResult {
  endedBy: SessionEnd;
  reason: string;
  answeredBy: 'human' | 'machine' | 'unknown';
  voicemailLeft: boolean;
  dispositions: AgentAction[];
  transcript: TranscriptTurn[];
  latencies: TurnLatency[];
  issues: SessionIssue[];
  stats: SessionStats;
  durationMs: number;
  /** Answer -> the agent's first audio on the line, ms; null when the agent never spoke. */
  firstAudioMs: number | null;
}
