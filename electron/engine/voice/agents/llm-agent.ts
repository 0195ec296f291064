import type { LanguageModel, LlmChunk, LlmConversation, ToolSpec } from '../../ports/llm';
import { ScriptedFlowAgent } from './scripted-agent';
import type { AgentAction, AgentOutput, CallBrief, ConversationAgent, WhisperOutcome } from './types';

export interface LlmAgentOptions {
  /** No first token by then: stop waiting and say the scripted line instead. */
  firstTokenTimeoutMs: number;
  /** A reply still streaming after this long is cut off. */
  replyTimeoutMs: number;
  /** Say a short filler when the first token is this late (undefined: never). */
  fillerAfterMs?: number;
  /** After this many failed replies in a row the call finishes on the scripted flow. */
  maxConsecutiveFailures: number;
}

export const DEFAULT_LLM_AGENT: LlmAgentOptions = { firstTokenTimeoutMs: 4_000, replyTimeoutMs: 15_000, fillerAfterMs: 1_500, maxConsecutiveFailures: 2 };

export const AGENT_TOOLS: ToolSpec[] = [
  { name: 'end_call', description: 'Hang up after your last sentence, when the conversation is over.', parameters: { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] } },
  { name: 'mark_do_not_call', description: 'The contact asked never to be called again.', parameters: { type: 'object', properties: { reason: { type: 'string' } } } },
  {
    name: 'schedule_callback',
    description: 'The contact asked to be called back later.',
    parameters: { type: 'object', properties: { when: { type: 'string', description: 'When, in the contact’s words' }, note: { type: 'string' } }, required: ['when'] },
  },
  { name: 'transfer_to_human', description: 'The contact wants a person, or needs something you cannot do.', parameters: { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] } },
];

export function toolCallToAction(name: string, args: Record<string, unknown>): AgentAction | undefined {
  const text = (key: string) => (typeof args[key] === 'string' ? (args[key] as string).slice(0, 500) : undefined);
  switch (name) {
    case 'end_call':
      return { type: 'end-call', reason: text('reason') ?? 'agent ended the call' };
    case 'mark_do_not_call':
      return { type: 'mark-dnc', reason: text('reason') };
    case 'schedule_callback':
      return { type: 'schedule-callback', when: text('when'), note: text('note') };
    case 'transfer_to_human':
      return { type: 'transfer-to-human', reason: text('reason') };
    default:
      return undefined;
  }
}

export function systemPromptFor(brief: CallBrief): string {
  const contact = [brief.contact.name && `Name: ${brief.contact.name}`, brief.contact.company && `Company: ${brief.contact.company}`]
    .filter(Boolean)
    .join('\n');
  const questions = brief.questions.map((q, i) => `${i + 1}. ${q}`).join('\n');
  return [
    brief.agentPrompt.trim() || `You are ${brief.agentName?.trim() || 'a polite phone agent'}${brief.companyName?.trim() ? ` calling on behalf of ${brief.companyName.trim()}` : ''}.`,
    brief.companyName?.trim() && `You call on behalf of ${brief.companyName.trim()}${brief.agentName?.trim() ? `; your name is ${brief.agentName.trim()}` : ''}. Never mention internal campaign names.`,
    'You are speaking on a phone call. Reply in one or two short spoken sentences; no lists, no markdown.',
    contact && `The person you are calling:\n${contact}`,
    brief.contact.context && `What we know about them:\n${brief.contact.context}`,
    questions && `Ask these questions, one at a time, in order:\n${questions}`,
    'When every question is answered, thank them, say goodbye and call end_call. If they ask not to be called again, call mark_do_not_call. If they ask to be called later, call schedule_callback. If they want a person, call transfer_to_human and tell them honestly you are getting a colleague; while they wait, keep them company briefly and never say goodbye for it.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

type Failure = 'timeout' | 'error';
export type AgentLog = (event: { kind: Failure | 'fallback-permanent'; message: string }) => void;

/**
 * Drives a language model through the call. The scripted flow runs alongside on every turn, so
 * when the model hangs or throws, the caller hears the scripted line for that moment instead of
 * silence; after repeated failures the rest of the call is scripted.
 */
export class LlmAgent implements ConversationAgent {
  readonly kind = 'llm' as const;
  private conversation: LlmConversation | undefined;
  /** A conversation the model is still starting (it may outlive the first-token wait). */
  private starting: Promise<LlmConversation> | undefined;
  private disposed = false;
  private failures = 0;
  private usedFallback = false;
  /** Supervisor whispers waiting for the next reply. */
  private guidance: string[] = [];

  constructor(
    private readonly model: LanguageModel,
    private readonly brief: CallBrief,
    private readonly options: LlmAgentOptions = DEFAULT_LLM_AGENT,
    private readonly log: AgentLog = () => undefined,
    private readonly fallback = new ScriptedFlowAgent(brief),
    /** Tokens the provider reported for each reply (the call's cost record). */
    private readonly onUsage: (usage: { inputTokens: number; outputTokens: number; providerId?: string }) => void = () => undefined,
  ) {}

  /** The scripted opening, told to the model with the caller's first answer. */
  private openedWith: string | undefined;

  get name(): string {
    return this.model.name;
  }

  /** Whether the call is now on the scripted flow for good. */
  get degraded(): boolean {
    return this.failures >= this.options.maxConsecutiveFailures;
  }

  async *opening(signal: AbortSignal): AsyncIterable<AgentOutput> {
    const scripted = await collect(this.fallback.opening());
    if (this.brief.disclosure !== false || this.brief.askRecordingConsent) {
      // The opening carries the automated-call disclosure word for word (EU AI Act art. 50, US AI-voice
      // consent rules): the campaign's script says it, not the model's own wording.
      this.openedWith = scripted.flatMap((o) => (o.type === 'text' ? [o.text] : [])).join(' ');
      yield* scripted;
      return;
    }
    yield* this.turn({ guidance: this.withGuidance('The call has just been answered. Greet them, say who you are and why you call, then ask the first question.') }, signal, scripted);
  }

  async *respond(callerText: string, signal: AbortSignal): AsyncIterable<AgentOutput> {
    if (this.fallback.awaitingConsent) {
      // The recording-consent step is the script's, word for word, and decided by its plain rules;
      // the model hears about it with the caller's next answer.
      const scripted = await collect(this.fallback.respond(callerText));
      const said = scripted.flatMap((o) => (o.type === 'text' ? [o.text] : [])).join(' ');
      this.openedWith = `${this.openedWith ?? ''} The caller said: "${callerText}". You said: ${said}`.trim();
      yield* scripted;
      return;
    }
    const owed = this.fallback.disclosureCut;
    let scripted = await collect(this.fallback.respond(callerText));
    if (owed) {
      // The caller talked over the disclosure: it comes first, word for word, whoever words the rest.
      yield { type: 'text', text: `${owed} ` };
      scripted = scripted.filter((o) => o.type !== 'text' || o.text.trim() !== owed);
    }
    const opened = this.openedWith;
    this.openedWith = undefined;
    const guidance = this.withGuidance(opened ? `You opened the call by saying: "${opened}" The caller now answers.` : undefined);
    yield* this.turn(guidance ? { user: callerText, guidance } : { user: callerText }, signal, scripted);
  }

  guide(text: string): WhisperOutcome {
    this.guidance.push(text.trim());
    return { accepted: true, detail: 'The agent takes this into account in its next reply; the caller does not hear it' };
  }

  steer(text: string): void {
    this.guidance.push(text.trim());
  }

  get disclosureOwed(): string | null {
    return this.fallback.disclosureOwed;
  }

  awaitPerson(waiting: boolean): void {
    this.fallback.awaitPerson(waiting);
    if (waiting) this.guidance.push('The caller is waiting for a human colleague that is being fetched. Keep them company in one short sentence; do not say goodbye and do not end the call.');
  }

  async *personUnavailable(signal: AbortSignal): AsyncIterable<AgentOutput> {
    const scripted = await collect(this.fallback.personUnavailable());
    const instruction = 'No colleague was free in time. Apologise for the wait and ask when you may call them back. When they say a time, call schedule_callback with that time in `when` (their words), thank them and call end_call.';
    yield* this.turn({ guidance: this.withGuidance(instruction) }, signal, scripted);
  }

  async *resume(summary: string, signal: AbortSignal): AsyncIterable<AgentOutput> {
    const scripted = await collect(this.fallback.resume(summary));
    if (this.fallback.disclosureOwed) {
      // The disclosure was cut short: the script says it word for word; the model goes on next turn.
      this.openedWith = scripted.flatMap((o) => (o.type === 'text' ? [o.text] : [])).join(' ');
      yield* scripted;
      return;
    }
    const handBack = `A human supervisor talked with the caller while you were silent. ${summary.trim()} Pick the call up from there in one short sentence, then go on with the next unanswered question.`;
    yield* this.turn({ guidance: this.withGuidance(handBack) }, signal, scripted);
  }

  /** Pending whispers (used once) joined with the turn's own instruction. */
  private withGuidance(instruction?: string): string | undefined {
    const whispers = this.guidance.splice(0).map((w) => `A supervisor whispers (the caller cannot hear this): ${w}`);
    const all = [...whispers, ...(instruction ? [instruction] : [])];
    return all.length > 0 ? all.join('\n') : undefined;
  }

  voicemail(): string {
    return this.fallback.voicemail();
  }

  heard(text: string, interrupted: boolean): void {
    this.fallback.heard(text, interrupted);
    if ((interrupted || this.usedFallback) && this.conversation) this.conversation.amendLastReply(text);
    this.usedFallback = false;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const conversation = this.conversation;
    this.conversation = undefined;
    // A conversation still starting is disposed by startConversation() as soon as it arrives.
    await conversation?.dispose();
  }

  /**
   * One start per call, however late it is: a turn that gave up waiting leaves it running, the
   * next turn uses it, and one that arrives after the call ended is disposed at once (it holds a
   * model slot).
   */
  private startConversation(): Promise<LlmConversation> {
    if (!this.starting) {
      const starting = this.model.startConversation({ systemPrompt: systemPromptFor(this.brief), tools: AGENT_TOOLS }).then(async (conversation) => {
        if (this.disposed) {
          await conversation.dispose().catch(() => undefined);
          throw new Error('the call ended before the model was ready');
        }
        this.conversation = conversation;
        return conversation;
      });
      starting.catch(() => {
        if (this.starting === starting) this.starting = undefined; // a failed start may be retried next turn
      });
      this.starting = starting;
    }
    return this.starting;
  }

  private async *turn(input: { user?: string; guidance?: string }, signal: AbortSignal, scripted: AgentOutput[]): AsyncIterable<AgentOutput> {
    if (this.degraded) {
      yield* scripted;
      return;
    }
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    let produced = false;
    let saidFiller = false;
    let iterator: AsyncIterator<LlmChunk> | undefined;
    try {
      const conversation = this.conversation ?? (await withTimeout(this.startConversation(), this.options.firstTokenTimeoutMs, abort));
      iterator = conversation.reply(input, { signal: abort.signal })[Symbol.asyncIterator]();
      let pending = iterator.next();
      for (;;) {
        const elapsed = Date.now() - started;
        const limit = (produced ? this.options.replyTimeoutMs : this.options.firstTokenTimeoutMs) - elapsed;
        const fillerIn = !produced && !saidFiller && this.options.fillerAfterMs !== undefined ? this.options.fillerAfterMs - elapsed : undefined;
        const next = await race(pending, limit, fillerIn);
        if (next === 'filler') {
          saidFiller = true;
          yield { type: 'text', text: 'One moment. ' };
          continue; // the same `pending` is still on its way
        }
        if (next === 'timeout') throw new TimeoutError(produced ? 'reply took too long' : 'no first token in time');
        if (next.done) break;
        pending = iterator.next();
        if (next.value.type === 'usage') this.onUsage({ inputTokens: next.value.inputTokens, outputTokens: next.value.outputTokens, providerId: this.model.providerId });
        const out = toOutput(next.value);
        if (!out) continue;
        produced = true;
        yield out;
      }
      this.failures = 0;
    } catch (error) {
      abort.abort();
      void iterator?.return?.().catch(() => undefined);
      if (signal.aborted) return; // barge-in, not a failure
      this.failures++;
      const kind: Failure = error instanceof TimeoutError ? 'timeout' : 'error';
      this.log({ kind, message: `${this.model.name}: ${(error as Error).message}` });
      if (this.degraded) this.log({ kind: 'fallback-permanent', message: `${this.model.name} failed ${this.failures} times; the rest of the call follows the script` });
      if (!produced) {
        this.usedFallback = true;
        yield* scripted;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

class TimeoutError extends Error {}

function toOutput(chunk: LlmChunk): AgentOutput | undefined {
  if (chunk.type === 'text') return chunk.text ? { type: 'text', text: chunk.text } : undefined;
  if (chunk.type === 'usage') return undefined;
  const action = toolCallToAction(chunk.name, chunk.arguments);
  return action ? { type: 'action', action } : undefined;
}

async function collect(outputs: AsyncIterable<AgentOutput>): Promise<AgentOutput[]> {
  const all: AgentOutput[] = [];
  for await (const out of outputs) all.push(out);
  return all;
}

async function race<T>(next: Promise<T>, timeoutMs: number, fillerMs: number | undefined): Promise<T | 'timeout' | 'filler'> {
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const after = <V>(ms: number, value: V) => new Promise<V>((resolve) => timers.push(setTimeout(() => resolve(value), Math.max(0, ms))));
  try {
    const contenders: Array<Promise<T | 'timeout' | 'filler'>> = [next, after(timeoutMs, 'timeout' as const)];
    if (fillerMs !== undefined && fillerMs < timeoutMs) contenders.push(after(fillerMs, 'filler' as const));
    return await Promise.race(contenders);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, abort: AbortController): Promise<T> {
  const result = await race(work, ms, undefined);
  if (result === 'timeout' || result === 'filler') {
    abort.abort();
    throw new TimeoutError('the model did not start a conversation in time');
  }
  return result;
}
