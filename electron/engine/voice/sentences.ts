/**
 * Cuts streamed agent text into pieces the TTS can start on: the first clause as soon as it is
 * complete (a comma is enough once it has a few words), then whole sentences.
 */
export class SentenceSplitter {
  private buffer = '';
  private emitted = 0;

  constructor(private readonly minFirstClauseWords = 3) {}

  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    for (;;) {
      const cut = this.findCut();
      if (cut < 0) break;
      const piece = this.buffer.slice(0, cut).trim();
      this.buffer = this.buffer.slice(cut);
      if (piece) {
        out.push(piece);
        this.emitted++;
      }
    }
    return out;
  }

  /** Whatever is left when the reply ends. */
  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest ? [rest] : [];
  }

  private findCut(): number {
    // A sentence end followed by white space (so "3.5" or "e.g." mid-stream do not cut).
    const sentence = /[.!?…]+["')\]]*\s/.exec(this.buffer);
    let cut = sentence ? sentence.index + sentence[0].length : -1;
    if (this.emitted === 0) {
      const clause = /[,;:—]\s/.exec(this.buffer);
      if (clause && (cut < 0 || clause.index < cut)) {
        const words = this.buffer.slice(0, clause.index).trim().split(/\s+/).length;
        if (words >= this.minFirstClauseWords) cut = clause.index + clause[0].length;
      }
    }
    return cut;
  }
}
