import type { UserTurnTiming } from './frames';

export type SpeechSource = 'opening' | 'reply' | 'fallback' | 'voicemail' | 'notice' | 'resume';

interface Segment {
  text: string;
  /** Samples synthesized so far, and whether synthesis of this segment is finished. */
  samples: number;
  complete: boolean;
}

/** Stage timestamps (monotonic ms) of the turn this utterance answers. */
export interface ReplyTiming {
  user?: UserTurnTiming;
  agentStartAt?: number;
  firstTokenAt?: number;
  firstTtsChunkAt?: number;
  firstAudioAt?: number;
}

export interface SpeechOutcome {
  interrupted: boolean;
  /** What the caller actually heard: whole segments played, plus the words of a partly played one. */
  heardText: string;
  fullText: string;
  playedMs: number;
}

let nextId = 1;

/**
 * One agent utterance (LiveKit's SpeechHandle): it can be interrupted, and it knows how much of
 * itself was played, so the conversation history keeps only what the caller heard.
 */
export class SpeechHandle {
  readonly id = nextId++;
  readonly segments: Segment[] = [];
  readonly timing: ReplyTiming = {};
  private state: 'pending' | 'playing' | 'done' | 'interrupted' = 'pending';
  private playedSamples = 0;
  private readonly settle: (outcome: SpeechOutcome) => void;
  /** Resolves once the utterance has finished playing or was interrupted. */
  readonly done: Promise<SpeechOutcome>;

  constructor(
    readonly source: SpeechSource,
    readonly sampleRate: number,
  ) {
    let settle!: (outcome: SpeechOutcome) => void;
    this.done = new Promise((resolve) => (settle = resolve));
    this.settle = settle;
  }

  get status(): 'pending' | 'playing' | 'done' | 'interrupted' {
    return this.state;
  }

  get finished(): boolean {
    return this.state === 'done' || this.state === 'interrupted';
  }

  get interrupted(): boolean {
    return this.state === 'interrupted';
  }

  addSegment(text: string): number {
    this.segments.push({ text, samples: 0, complete: false });
    return this.segments.length - 1;
  }

  addAudio(segment: number, samples: number): void {
    const s = this.segments[segment];
    if (s) s.samples += samples;
  }

  completeSegment(segment: number): void {
    const s = this.segments[segment];
    if (s) s.complete = true;
  }

  markPlaying(): void {
    if (this.state === 'pending') this.state = 'playing';
  }

  /** Samples the caller has heard so far (the output transport keeps this current). */
  setPlayed(samples: number): void {
    this.playedSamples = Math.max(this.playedSamples, samples);
  }

  get playedMs(): number {
    return (this.playedSamples * 1000) / this.sampleRate;
  }

  get fullText(): string {
    return joinText(this.segments.map((s) => s.text));
  }

  heardText(): string {
    const parts: string[] = [];
    let remaining = this.playedSamples;
    for (const segment of this.segments) {
      if (remaining <= 0 || segment.samples === 0) break;
      if (segment.complete && remaining >= segment.samples) {
        parts.push(segment.text);
        remaining -= segment.samples;
        continue;
      }
      // Partly heard: keep the words in proportion to the audio played, cut at a word boundary.
      const words = segment.text.split(/\s+/).filter(Boolean);
      const fraction = Math.min(1, remaining / segment.samples);
      const keep = Math.floor(words.length * fraction);
      if (keep > 0) parts.push(words.slice(0, keep).join(' '));
      break;
    }
    return joinText(parts);
  }

  finish(): SpeechOutcome {
    return this.close('done');
  }

  interrupt(): SpeechOutcome {
    return this.close('interrupted');
  }

  private close(state: 'done' | 'interrupted'): SpeechOutcome {
    if (!this.finished) this.state = state;
    const outcome: SpeechOutcome = {
      interrupted: this.state === 'interrupted',
      heardText: this.state === 'done' ? this.fullText : this.heardText(),
      fullText: this.fullText,
      playedMs: this.playedMs,
    };
    this.settle(outcome);
    return outcome;
  }
}

function joinText(parts: string[]): string {
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
