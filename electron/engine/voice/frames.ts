import type { AgentAction } from './agents/types';
import type { SpeechHandle } from './speech-handle';

/**
 * Frames with Pipecat's semantics. System frames jump ahead of queued work and are never dropped
 * (caller audio is one: an interruption must not lose what the caller says). Data frames are
 * processed in order and dropped on interruption. Control frames are ordered like data frames but
 * survive an interruption (the end of the call must still arrive).
 */

/** Why a turn ended the way it did; carried to the latency observer. */
export interface UserTurnTiming {
  /** Monotonic ms when the last speech frame of the turn arrived. */
  speechEndAt: number;
  /** When the turn detector declared the turn over. */
  turnEndAt: number;
  /** When the transcript of the last segment was ready. */
  transcriptAt: number;
  /** Endpoint wait the detector chose for this turn. */
  endpointMs: number;
  endpointReason: string;
  /** Time the speech-to-text engine spent on the turn's segments. */
  sttComputeMs: number;
  /** The turn began over the agent's voice: how long deciding to interrupt took (speech start -> decision). */
  interruptDecisionMs?: number;
}

export type SystemFrame =
  | { kind: 'system'; type: 'start' }
  | { kind: 'system'; type: 'cancel'; reason: string }
  /** The caller barged in: drop queued agent output, stop speaking within one frame. */
  | { kind: 'system'; type: 'interruption'; at: number }
  /** 16 kHz caller audio; `streamMs` is its position in the call's inbound stream. */
  | { kind: 'system'; type: 'input-audio'; samples: Int16Array; streamMs: number; receivedAt: number; speechProbability?: number }
  | { kind: 'system'; type: 'vad-speech-start'; streamMs: number; at: number }
  | { kind: 'system'; type: 'vad-speech-stop'; streamMs: number; at: number }
  /** Upstream from the output: the caller is hearing the agent / stopped hearing it. */
  | { kind: 'system'; type: 'bot-started-speaking'; handle: SpeechHandle }
  | { kind: 'system'; type: 'bot-stopped-speaking'; handle: SpeechHandle; interrupted: boolean }
  /** The caller said something short that did not take the floor (backchannel, cough). */
  | { kind: 'system'; type: 'backchannel'; text: string; at: number }
  /** The caller's words so far in a turn that has not ended (for the console; not an end of turn). */
  | { kind: 'system'; type: 'interim-transcript'; text: string }
  | { kind: 'system'; type: 'error'; stage: string; message: string; fatal: boolean };

export type DataFrame =
  /** One clause or sentence for the TTS, belonging to an agent utterance. */
  | { kind: 'data'; type: 'agent-text'; handle: SpeechHandle; text: string }
  /** Agent audio at the output rate. `segment` is the index of the text it speaks. */
  | { kind: 'data'; type: 'tts-audio'; handle: SpeechHandle; segment: number; samples: Int16Array; sampleRate: number };

export type ControlFrame =
  | { kind: 'control'; type: 'end'; reason: string }
  /** The caller finished a turn; `continues`: they went on before the agent answered, this text replaces their previous turn. */
  | { kind: 'control'; type: 'user-turn'; text: string; timing: UserTurnTiming; continues?: boolean }
  /** The agent speaks without a caller turn: its opening, the voicemail message, a fixed notice, or resuming after a supervisor (`text`: what was said meanwhile). */
  | { kind: 'control'; type: 'agent-say'; source: 'opening' | 'voicemail' | 'notice' | 'resume' | 'unavailable'; text?: string }
  /** Everything of this utterance has been sent downstream. */
  | { kind: 'control'; type: 'agent-reply-end'; handle: SpeechHandle }
  /** Something the agent decided; `handle` is the utterance it came with (an interrupted goodbye does not hang up). */
  | { kind: 'control'; type: 'agent-action'; action: AgentAction; handle?: SpeechHandle };

export type Frame = SystemFrame | DataFrame | ControlFrame;
export type FrameType = Frame['type'];
export type FrameOf<T extends FrameType> = Extract<Frame, { type: T }>;
export type Direction = 'downstream' | 'upstream';
