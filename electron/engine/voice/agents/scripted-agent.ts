import { fillLine, placeholderValues, renderOpening } from '../../../contracts/opening-line';
import { CONSENT_QUESTION, readConsentAnswer } from '../../domain/recording-consent';
import { recogniseIntent, spokenTime } from './intents';
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
  /** The recording-consent question was asked and awaits its answer. */
  private consentAsked = false;
  /** The caller waits for a person Parley is fetching: replies keep them company, never close. */
  private waitingForPerson = false;
  /** Nobody came: the agent asked when to call back; the caller's next words give the time. */
  private askedCallbackTime = 0;

  constructor(private readonly brief: CallBrief) {}

  opening(): AsyncIterable<AgentOutput> {
    const b = this.brief;
    const openingLine = (b.openingLine ?? '').replace(/\{\{?\s*campaign\s*\}?\}/gi, '{{companyName}}');
    const opening = renderOpening({ openingLine, agentName: b.agentName ?? '', companyName: b.companyName ?? '', disclosure: b.disclosure !== false }, b.contact);
    this.disclosure = opening.disclosure ? { text: opening.disclosure, state: 'saying' } : null;
    const callback = b.callback ? `You asked us to call you back${b.callback.askedWords ? ` ${b.callback.askedWords}` : ''}, so here we are.` : null;
    const intro = [opening.text, ...(callback ? [callback] : [])];
    if (b.askRecordingConsent) {
      this.consentAsked = true;
      return this.lines([...intro, CONSENT_QUESTION]);
    }
    return this.lines([...intro, ...this.askOrClose()]);
  }

  /** Whether the next caller turn answers the recording-consent question. */
  get awaitingConsent(): boolean {
    return this.consentAsked;
  }

  respond(callerText: string): AsyncIterable<AgentOutput> {
    if (this.consentAsked) return this.answerConsent(callerText);
    if (this.closed) return this.lines([this.closingLine()], { type: 'end-call', reason: 'completed' });
    return this.respondTo(callerText);
  }

  /**
   * The answer to the consent question: a clear yes records, anything else does not (said so, so the
   * transcript notes it); a caller who asks for something else (do not call, call back) gets that too.
   */
  private answerConsent(callerText: string): AsyncIterable<AgentOutput> {
    const intent = recogniseIntent(callerText);
    if (intent.type === 'repeat') return this.lines([`Sure. ${CONSENT_QUESTION}`]);
    this.consentAsked = false;
    const answer = readConsentAnswer(callerText);
    const decision: AgentAction = { type: 'recording-consent', granted: answer === 'yes', answer };
    const said = answer === 'yes' ? 'Thank you.' : 'No problem: this call will not be recorded.';
    if (intent.type !== 'answer') return prepend(this.respondTo(callerText), decision, answer === 'yes' ? undefined : said);
    return this.lines([said, ...this.askOrClose()], decision);
  }

  private respondTo(callerText: string): AsyncIterable<AgentOutput> {
    const intent = recogniseIntent(callerText);
    if (this.askedCallbackTime > 0 && intent.type !== 'do-not-call' && intent.type !== 'not-interested' && intent.type !== 'wrong-number') return this.bookAskedCallback(callerText, intent);
    if (this.waitingForPerson && (intent.type === 'answer' || intent.type === 'repeat' || intent.type === 'human')) {
      return this.lines(["I'm still getting a colleague for you. Thank you for holding."]);
    }
    const offered = this.callbackOffered;
    this.callbackOffered = false;
    if (offered && intent.type === 'answer' && AFFIRMATIVE.test(callerText.toLowerCase())) {
      this.closed = true;
      const when = spokenTime(callerText);
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
        this.waitingForPerson = true;
        return this.lines(["Of course. I'm getting a colleague for you now. Please stay on the line; it may take a minute or two."], { type: 'transfer-to-human', reason: callerText.slice(0, 200) });
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

  awaitPerson(waiting: boolean): void {
    this.waitingForPerson = waiting;
  }

  personUnavailable(): AsyncIterable<AgentOutput> {
    this.waitingForPerson = false;
    this.askedCallbackTime = 1;
    return this.lines(["I'm sorry for the wait; no colleague is free right now. We can call you back at a time that suits you. When would be best?"]);
  }

  /** The caller's answer to "when would be best?": books their time, or asks once more for one. */
  private bookAskedCallback(callerText: string, intent: ReturnType<typeof recogniseIntent>): AsyncIterable<AgentOutput> {
    const when = spokenTime(callerText) ?? (intent.type === 'callback' ? intent.when : undefined);
    if (!when && this.askedCallbackTime < 2) {
      this.askedCallbackTime++;
      return this.lines(['What day and time should we call you? For example, tomorrow at ten.']);
    }
    this.askedCallbackTime = 0;
    this.closed = true;
    const note = `Asked for a person; nobody was free. The caller said: ${callerText.slice(0, 160)}`;
    return this.lines([`Thank you. A colleague will call you back ${when ?? 'as soon as one is free'}. Goodbye.`], { type: 'schedule-callback', when, note }, { type: 'end-call', reason: 'callback' });
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

/** A decision (and a line said before the rest) ahead of a reply. */
async function* prepend(reply: AsyncIterable<AgentOutput>, action: AgentAction, line?: string): AsyncIterable<AgentOutput> {
  yield { type: 'action', action };
  if (line) yield { type: 'text', text: `${line} ` };
  yield* reply;
}

/** Words only, for comparing what was heard with what was meant. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
