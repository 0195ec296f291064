import type { Direction, Frame } from './frames';
import type { FrameObserver } from './processor';
import type { SpeechHandle } from './speech-handle';

export interface TranscriptTurn {
  seq: number;
  speaker: 'caller' | 'agent';
  text: string;
  /** Agent turns: the caller talked over it; `text` is what they heard. */
  interrupted: boolean;
  /** Agent turns: everything the agent meant to say. */
  fullText?: string;
  startedAt: number;
  endedAt: number;
  /** Agent turns of a campaign with a premium voice: which voice spoke it. */
  voiceTier?: 'standard' | 'premium';
}

/** Collects the conversation as it happens: caller turns when they end, agent turns when they have played. */
export class TranscriptObserver implements FrameObserver {
  readonly turns: TranscriptTurn[] = [];
  private readonly startedAt = new Map<SpeechHandle, number>();

  constructor(
    private readonly onTurn: (turn: TranscriptTurn) => void,
    private readonly wallClock: () => number = () => Date.now(),
    /** Masks what must not be stored (the campaign's redaction); applied before anyone sees a turn. */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  onFrame(frame: Frame, from: string, direction: Direction): void {
    if (frame.type === 'user-turn' && from === 'turns') {
      const now = this.wallClock();
      const last = this.turns[this.turns.length - 1];
      if (frame.continues && last?.speaker === 'caller') {
        // The caller went on before the agent answered: one turn, stored (and sent) again under the same seq.
        const merged = { ...last, text: this.redact(frame.text), endedAt: now };
        this.turns[this.turns.length - 1] = merged;
        this.onTurn(merged);
        return;
      }
      this.add({ speaker: 'caller', text: this.redact(frame.text), interrupted: false, startedAt: now - Math.round(frame.timing.turnEndAt - frame.timing.speechEndAt), endedAt: now });
    } else if (frame.type === 'bot-started-speaking' && direction === 'upstream' && from === 'output') {
      this.startedAt.set(frame.handle, this.wallClock());
    } else if (frame.type === 'bot-stopped-speaking' && direction === 'upstream' && from === 'output') {
      const outcome = { text: frame.handle.interrupted ? frame.handle.heardText() : frame.handle.fullText };
      const startedAt = this.startedAt.get(frame.handle) ?? this.wallClock();
      this.startedAt.delete(frame.handle);
      if (!frame.handle.fullText) return;
      this.add({ speaker: 'agent', text: this.redact(outcome.text), interrupted: frame.interrupted, fullText: this.redact(frame.handle.fullText), startedAt, endedAt: this.wallClock() });
    }
  }

  private add(turn: Omit<TranscriptTurn, 'seq'>): void {
    const full = { ...turn, seq: this.turns.length };
    this.turns.push(full);
    this.onTurn(full);
  }
}

/** The agent's words as the voice starts each sentence (the console shows them before the turn ends). */
export class AgentWordsObserver implements FrameObserver {
  private shown: { handle: SpeechHandle; segment: number } | undefined;

  constructor(private readonly onWords: (utterance: number, text: string) => void) {}

  onFrame(frame: Frame, from: string): void {
    if (frame.type !== 'tts-audio' || from !== 'tts') return;
    const { handle, segment } = frame;
    if (this.shown && this.shown.handle === handle && this.shown.segment >= segment) return;
    this.shown = { handle, segment };
    const text = handle.segments
      .slice(0, segment + 1)
      .map((s) => s.text)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (text) this.onWords(handle.id, text);
  }
}

export interface TurnLatency {
  /** Index of the agent reply this measures (0 = the first reply to the caller). */
  turn: number;
  endpointMs: number;
  /** Recognition time not hidden behind the endpoint wait. */
  sttMs: number;
  /** Recognition compute time for the turn, including what overlapped the wait. */
  sttComputeMs: number;
  llmFirstTokenMs: number;
  ttsFirstChunkMs: number;
  transportMs: number;
  /** End of caller speech -> first agent audio byte sent to the line. */
  totalMs: number;
  /** What the turn detector chose to wait, and why. */
  endpointTargetMs: number;
  endpointReason: string;
  /** The caller's turn began over the agent's voice: ms from their first sound to the decision to interrupt. */
  interruptDecisionMs: number | null;
}

/** Splits each reply's voice-to-voice time into its stages once its first audio has gone out. */
export class LatencyObserver implements FrameObserver {
  readonly records: TurnLatency[] = [];

  constructor(private readonly onLatency: (latency: TurnLatency) => void) {}

  onFrame(frame: Frame, from: string, direction: Direction): void {
    if (frame.type !== 'bot-started-speaking' || direction !== 'upstream' || from !== 'output') return;
    const t = frame.handle.timing;
    const user = t.user;
    if (!user || t.firstAudioAt === undefined) return;
    const tokenAt = t.firstTokenAt ?? t.firstTtsChunkAt ?? t.firstAudioAt;
    const chunkAt = t.firstTtsChunkAt ?? t.firstAudioAt;
    const endpointEnd = Math.min(user.turnEndAt, user.speechEndAt + user.endpointMs);
    const record: TurnLatency = {
      turn: this.records.length,
      endpointMs: round(endpointEnd - user.speechEndAt),
      sttMs: round(user.turnEndAt - endpointEnd),
      sttComputeMs: round(user.sttComputeMs),
      llmFirstTokenMs: round(tokenAt - user.turnEndAt),
      ttsFirstChunkMs: round(chunkAt - tokenAt),
      transportMs: round(t.firstAudioAt - chunkAt),
      totalMs: round(t.firstAudioAt - user.speechEndAt),
      endpointTargetMs: user.endpointMs,
      endpointReason: user.endpointReason,
      interruptDecisionMs: user.interruptDecisionMs ?? null,
    };
    this.records.push(record);
    this.onLatency(record);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** `source` tells outbound audio apart: the AI agent, or a supervisor who barged in or took over. */
export type AudioTap = (frame: Int16Array, direction: 'inbound' | 'outbound', sampleRate: number, source?: 'agent' | 'supervisor') => void;

/**
 * Fans a call's audio out to whoever listens: emotion analysis, supervisors listening in from
 * the console. Listeners are isolated from each other and from the call.
 */
export class AudioFanout {
  private readonly taps = new Set<AudioTap>();

  add(tap: AudioTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  get size(): number {
    return this.taps.size;
  }

  emit(frame: Int16Array, direction: 'inbound' | 'outbound', sampleRate: number, source?: 'agent' | 'supervisor'): void {
    for (const tap of this.taps) {
      try {
        tap(frame, direction, sampleRate, source);
      } catch {
        // a listener that fails loses its audio, the call does not
      }
    }
  }
}
