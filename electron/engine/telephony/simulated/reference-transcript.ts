import type { SpeechToText } from '../../ports/speech';

/** What a simulated caller said, and when, on the call's inbound stream clock (ms from its first frame). */
export interface SpokenSpan {
  text: string;
  startMs: number;
  endMs: number;
}

export class ReferenceTimeline {
  readonly spans: SpokenSpan[] = [];

  add(span: SpokenSpan): void {
    this.spans.push(span);
  }

  /**
   * Words spoken within [startMs, endMs]. A span only partly inside contributes the share of its
   * words that its covered time represents (as a recognizer hears the start of a sentence).
   */
  between(startMs: number, endMs: number): string {
    const out: string[] = [];
    for (const span of this.spans) {
      const duration = Math.max(1, span.endMs - span.startMs);
      const from = (Math.max(startMs, span.startMs) - span.startMs) / duration;
      const to = (Math.min(endMs, span.endMs) - span.startMs) / duration;
      if (to <= from) continue;
      const words = span.text.split(/\s+/).filter(Boolean);
      const first = Math.round(words.length * from);
      const last = Math.round(words.length * to);
      if (last > first) out.push(words.slice(first, last).join(' '));
    }
    return out.join(' ');
  }
}

/**
 * Speech to text for simulated calls when no recognition model is installed: it returns the
 * reference transcript of what the simulated caller said in the segment's time span. It does not
 * listen to the audio and is never used on a real line; the engines status says so.
 */
export class ReferenceTranscriptStt implements SpeechToText {
  readonly name = 'reference transcript (simulated calls only, no speech recognition)';
  readonly capabilities = { languages: 'multilingual' as const, gpu: false };

  constructor(private readonly timeline: ReferenceTimeline) {}

  async transcribe(_audio: Int16Array, options?: { segment?: { startMs: number; endMs: number } }): Promise<{ text: string }> {
    if (!options?.segment) throw new Error('The reference transcript needs the segment position in the call');
    return { text: this.timeline.between(options.segment.startMs, options.segment.endMs) };
  }

  async dispose(): Promise<void> {}
}
