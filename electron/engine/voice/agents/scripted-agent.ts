import { fillLine, placeholderValues, renderOpening } from '../../../contracts/opening-line';
import { recogniseIntent, spokenWhen } from './intents';
import type { AgentAction, AgentOutput, CallBrief, ConversationAgent, WhisperOutcome } from './types';
import { readWhisper, type WhisperMove } from '../../../contracts/whisper-moves';

const ACKNOWLEDGEMENTS = ['Thank you.', 'Got it.', 'Great, thanks.', 'Okay, noted.'];
const AFFIRMATIVE = /^(yes|yeah|yep|sure|okay|ok|please|that would be|that'd be|go ahead)\b/;

/** Fills {{firstName}}, {{name}}, {{company}}, {{agentName}}, {{companyName}} (and the older {single} form) in a campaign's lines. */
export function fillPlaceholders(text: string, brief: CallBrief): string {
  const values = placeholderValues({ agentName: brief.agentName ?? '', companyName: brief.companyName ?? '' }, brief.contact);
  // {campaign} in older scripts means who is calling: the company, never the internal campaign name.
  return fillLine(text, { ...values, campaign: values.companyName ?? '' }).text;
}

/**
 * Walks the campaign's opening, questions and closing in order, deterministically. Used by
 * campaigns that want no language model, and as the fallback when none is installed or it fails.
 * Knows do-not-call, callback, transfer, wrong-number and not-interested requests.
 */
export class ScriptedFlowAgent implements ConversationAgent {
  readonly kind = 'scripted' as const;
  readonly name = 'Scripted flow';
  /** Index of the question waiting for an answer; questions.length once all are answered. */
  private question = 0;
  private closed = false;
  /** The last question asked was cut off before the caller heard it. */
  private questionUnheard = false;
  private lastQuestion: string | undefined;
  /** The closing line was just queued: the reply carrying it hangs up. */
  private pendingEnd = false;
  /** A supervisor's whisper read as a move of the script, made in the next reply (never spoken). */
  private move: WhisperMove | undefined;
  /**
   * The disclosure until the caller has heard it whole: being said, or cut (they talked over it, a
   * person took over). `disclosureSaying`: the utterance in flight carries it.
   */
  private disclosure: { text: string; state: 'saying' | 'cut' } | null = null;
  private disclosureSaying = false;
  /** Lines Parley itself wrote (steer), said before the next reply. */
  private lead: string[] = [];
  /** A callback was offered (on a supervisor's whisper): a yes books it. */
  private callbackOffered = false;

  constructor(private readonly brief: CallBrief) {}

  opening(): AsyncIterable<AgentOutput> {
    const b = this.brief;
    const openingLine = (b.openingLine ?? '').replace(/\{\{?\s*campaign\s*\}?\}/gi, '{{companyName}}');
    const opening = renderOpening({ openingLine, agentName: b.agentName ?? '', companyName: b.companyName ?? '', disclosure: b.disclosure !== false }, b.contact);
    this.disclosure = opening.disclosure ? { text: opening.disclosure, state: 'saying' } : null;
    const callback = b.callback ? `You asked us to call you back${b.callback.askedWords ? ` ${b.callback.askedWords}` : ''}, so here we are.` : null;
    return this.lines([opening.text, ...(callback ? [callback] : []), ...this.askOrClose()]);
  }

  respond(callerText: string): AsyncIterable<AgentOutput> {
    if (this.closed) return this.lines([this.closingLine()], { type: 'end-call', reason: 'completed' });
    const intent = recogniseIntent(callerText);
    const offered = this.callbackOffered;
    this.callbackOffered = false;
    if (offered && intent.type === 'answer' && AFFIRMATIVE.test(callerText.toLowerCase())) {
      this.closed = true;
      const when = spokenWhen(callerText);
      return this.lines([`Of course, we'll call you back${when ? ` ${when}` : ' at a better time'}. Thank you, goodbye.`], { type: 'schedule-callback', when, note: callerText.slice(0, 200) }, { type: 'end-call', reason: 'callback' });
    }
    const move = this.move;
    this.move = undefined;
    if (move && (intent.type === 'answer' || intent.type === 'repeat')) return this.makeMove(move);
    switch (intent.type) {
      case 'do-not-call':
        this.closed = true;
        return this.lines(["I'm sorry for the trouble. I've taken your number off our list, and we won't call again. Goodbye."], { type: 'mark-dnc', reason: 'caller asked' }, { type: 'end-call', reason: 'do-not-call' });
      case 'human':
        this.closed = true;
        return this.lines(["Of course. I've asked a colleague to take this over; they will call you back shortly. Thank you, goodbye."], { type: 'transfer-to-human', reason: callerText.slice(0, 200) }, { type: 'schedule-callback', note: 'Caller asked for a person' }, { type: 'end-call', reason: 'transfer-requested' });
      case 'callback': {
        this.closed = true;
        const when = intent.when ? ` ${intent.when}` : ' at a better time';
        return this.lines([`No problem, we'll call you back${when}. Thank you, goodbye.`], { type: 'schedule-callback', when: intent.when, note: callerText.slice(0, 200) }, { type: 'end-call', reason: 'callback' });
      }
      case 'wrong-number':
        this.closed = true;
        return this.lines(["I'm sorry, I must have the wrong number. Have a good day, goodbye."], { type: 'end-call', reason: 'wrong-number' });
      case 'not-interested':
        this.closed = true;
        return this.lines(['I understand. Thank you for your time, goodbye.'], { type: 'end-call', reason: 'not-interested' });
      case 'repeat':
        return this.lines(this.lastQuestion ? [`Sure. ${this.lastQuestion}`] : ['Sorry, let me say that again.', ...this.askOrClose()]);
      case 'answer':
        if (this.questionUnheard && this.lastQuestion) {
          // They spoke over the question: it is not answered yet, ask it again.
          this.questionUnheard = false;
          return this.lines([`Sorry, go ahead. ${this.lastQuestion}`]);
        }
        if (this.question < this.brief.questions.length) this.question++;
        return this.lines([ACKNOWLEDGEMENTS[this.question % ACKNOWLEDGEMENTS.length]!, ...this.askOrClose()]);
    }
  }

  voicemail(): string {
    const b = this.brief;
    if (b.voicemailMessage?.trim()) return fillPlaceholders(b.voicemailMessage, b);
    const from = b.companyName?.trim() ? 'a message from {{companyName}}' : 'an automated message';
    return fillPlaceholders(`Hello {{firstName}}, this is ${from}. We will try you again later. Goodbye.`, b);
  }

  get disclosureOwed(): string | null {
    return this.disclosure?.text ?? null;
  }

  /** The disclosure when the caller is known to have missed part of it. */
  get disclosureCut(): string | null {
    return this.disclosure?.state === 'cut' ? this.disclosure.text : null;
  }

  heard(text: string, interrupted: boolean): void {
    if (this.disclosureSaying) {
      this.disclosureSaying = false;
      const d = this.disclosure;
      if (d && (!interrupted || squash(text).includes(squash(d.text)))) this.disclosure = null;
      else if (d) d.state = 'cut';
    }
    this.questionUnheard = Boolean(interrupted && this.lastQuestion && !text.includes(this.lastQuestion));
  }

  /** A whisper becomes one of the script's moves for the next reply, or is refused; its words are never said. */
  guide(text: string): WhisperOutcome {
    const reading = readWhisper(text, this.brief.questions);
    if (!reading.move) return { accepted: false, detail: reading.detail };
    this.move = reading.move;
    return { accepted: true, detail: reading.detail };
  }

  steer(text: string): void {
    this.lead.push(text.trim());
  }

  /** After a supervisor handed the call back: pick up with the question that was waiting. */
  resume(_summary: string): AsyncIterable<AgentOutput> {
    const back = 'Thank you for holding.';
    if (this.closed) return this.lines([back, this.closingLine()], { type: 'end-call', reason: 'completed' });
    // A disclosure cut short (a person took over mid-way) is said again, whole, before anything else.
    const lead = this.disclosure ? `${back} ${this.disclosure.text}` : back;
    const move = this.move;
    this.move = undefined;
    if (move) return this.makeMove(move, lead);
    return this.lines(this.lastQuestion ? [lead, this.lastQuestion] : [lead, ...this.askOrClose()]);
  }

  /** A supervisor's move, in place of the script's usual next step. */
  private makeMove(move: WhisperMove, lead = ACKNOWLEDGEMENTS[0]!): AsyncIterable<AgentOutput> {
    this.questionUnheard = false;
    switch (move.type) {
      case 'ask':
        this.question = Math.min(move.question, this.brief.questions.length);
        return this.lines([lead, ...this.askOrClose()]);
      case 'next':
        if (this.question < this.brief.questions.length) this.question++;
        return this.lines([lead, ...this.askOrClose()]);
      case 'offer-callback':
        this.callbackOffered = true;
        return this.lines([lead, 'If now is not a good time, we can call you back whenever suits you. Would you like that?']);
      case 'close':
        this.closed = true;
        this.lastQuestion = undefined;
        return this.lines([lead, this.closingLine()], { type: 'end-call', reason: 'completed' });
    }
  }

  async dispose(): Promise<void> {}

  /** Whether every question has been answered. */
  get finished(): boolean {
    return this.closed || this.question >= this.brief.questions.length;
  }

  private askOrClose(): string[] {
    const next = this.brief.questions[this.question];
    if (next !== undefined) {
      this.lastQuestion = fillPlaceholders(next, this.brief);
      return [this.lastQuestion];
    }
    this.closed = true;
    this.lastQuestion = undefined;
    this.pendingEnd = true;
    return [this.closingLine()];
  }

  private closingLine(): string {
    const b = this.brief;
    return b.closing?.trim() ? fillPlaceholders(b.closing, b) : 'That is everything I needed. Thank you for your time, goodbye.';
  }

  private async *lines(texts: string[], ...actions: AgentAction[]): AsyncIterable<AgentOutput> {
    // Each line ends with a space so the sentence splitter can cut it straight away.
    const all = [...this.lead.splice(0), ...texts];
    // Until the caller has heard the disclosure whole (they talked over it), every utterance starts with it.
    const d = this.disclosure;
    if (d && d.state === 'cut' && !all.some((text) => text.includes(d.text))) all.unshift(d.text);
    if (d && all.some((text) => text.includes(d.text))) this.disclosureSaying = true;
    for (const text of all) yield { type: 'text', text: `${text} ` };
    for (const action of actions) yield { type: 'action', action };
    if (this.pendingEnd) {
      this.pendingEnd = false;
      yield { type: 'action', action: { type: 'end-call', reason: 'completed' } };
    }
  }
}

/** Words only, for comparing what was heard with what was meant. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
