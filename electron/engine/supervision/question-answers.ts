import type { QuestionAnswer } from '../../contracts';

/**
 * The campaign questions answered so far on a call, for the contact card: when an agent turn asks
 * one of the questions, the caller's next turn is taken as its answer. Placeholders in a question
 * ({firstName}) match any words; a model that rephrases a question is simply not matched.
 */
export class QuestionTracker {
  private readonly patterns: RegExp[];
  private readonly answers = new Map<number, string>();
  private awaiting: number | null = null;
  /** The caller turn that gave the last answer: sent again longer (same seq), it updates that answer. */
  private lastAnswer: { seq: number; question: number } | null = null;

  constructor(readonly questions: string[]) {
    this.patterns = questions.map(pattern);
  }

  /** Returns true when the answers changed. */
  onTurn(speaker: 'caller' | 'agent', text: string, seq?: number): boolean {
    if (speaker === 'caller' && seq !== undefined && this.lastAnswer?.seq === seq && text.trim()) {
      this.answers.set(this.lastAnswer.question, text.trim());
      return true;
    }
    if (speaker === 'agent') {
      const said = normalise(text);
      let asked: number | null = null;
      this.patterns.forEach((p, i) => {
        if (p.test(said)) asked = i; // the last question in the turn is the one waiting
      });
      if (asked !== null) this.awaiting = asked;
      return false;
    }
    if (this.awaiting === null || !text.trim()) return false;
    this.answers.set(this.awaiting, text.trim());
    if (seq !== undefined) this.lastAnswer = { seq, question: this.awaiting };
    this.awaiting = null;
    return true;
  }

  get list(): QuestionAnswer[] {
    return [...this.answers.entries()].sort(([a], [b]) => a - b).map(([i, answer]) => ({ question: this.questions[i]!, answer }));
  }
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}{}]+/gu, ' ').trim();
}

function pattern(question: string): RegExp {
  const words = normalise(question)
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? '.*?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(words.trim() || '^\\b$');
}
