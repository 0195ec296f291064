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
   * Words spoken within [startMs, endMs] as a recognizer hears them: a span partly inside gives the
   * share of its words its covered time represents. `heard` (per listener) remembers how far into
   * each span earlier segments got, so a word falling in the pause between two segments is not lost
   * and none is heard twice; re-reading a segment that starts at the same place (an interim result,
   * then the final one) starts from where that segment started.
   */
  between(startMs: number, endMs: number, heard?: ListenerState): string {
    const out: string[] = [];
    this.spans.forEach((span, index) => {
      const duration = Math.max(1, span.endMs - span.startMs);
      const from = (Math.max(startMs, span.startMs) - span.startMs) / duration;
      const to = (Math.min(endMs, span.endMs) - span.startMs) / duration;
      if (to <= from) return;
      const words = span.text.split(/\s+/).filter(Boolean);
      let first = Math.round(words.length * from);
      const last = to >= 1 ? words.length : Math.round(words.length * to);
      if (heard) {
        const key = `${index}@${startMs}`;
        const cursor = heard.startCursor.get(key) ?? heard.cursor.get(index) ?? 0;
        heard.startCursor.set(key, cursor);
        first = Math.min(cursor, last);
        heard.cursor.set(index, Math.max(heard.cursor.get(index) ?? 0, last));
      }
      if (last > first) out.push(words.slice(first, last).join(' '));
    });
    return out.join(' ');
  }
}

/** How far a listener has heard into each span (see `between`). */
export interface ListenerState {
  cursor: Map<number, number>;
  startCursor: Map<string, number>;
}

/**
 * Speech to text for simulated calls when no recognition model is installed: it returns the
 * reference transcript of what the simulated caller said in the segment's time span. It does not
 * listen to the audio and is never used on a real line; the engines status says so.
 */
export class ReferenceTranscriptStt implements SpeechToText {
  readonly name = 'reference transcript (simulated calls only, no speech recognition)';
  readonly capabilities = { languages: 'multilingual' as const, gpu: false };

  private readonly heard: ListenerState = { cursor: new Map(), startCursor: new Map() };

  constructor(private readonly timeline: ReferenceTimeline) {}

  async transcribe(_audio: Int16Array, options?: { segment?: { startMs: number; endMs: number } }): Promise<{ text: string }> {
    if (!options?.segment) throw new Error('The reference transcript needs the segment position in the call');
    return { text: this.timeline.between(options.segment.startMs, options.segment.endMs, this.heard) };
  }

  async dispose(): Promise<void> {}
}
