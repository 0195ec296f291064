import type { AgentOutput, ConversationAgent } from './agents/types';
import type { Direction, Frame, FrameOf } from './frames';
import { FrameProcessor } from './processor';
import { SentenceSplitter } from './sentences';
import { SpeechHandle, type SpeechSource } from './speech-handle';

const APOLOGY = "I'm sorry, something went wrong on our side. We will call you back. Goodbye.";

/**
 * Runs the agent for each caller turn: streams its reply, cuts it into clauses for the TTS, and
 * passes its actions on. Each reply is a SpeechHandle; when the caller barges in, the reply stops
 * and the agent is told what was actually heard.
 */
export class AgentProcessor extends FrameProcessor {
  private current: SpeechHandle | undefined;
  /** False on a call a machine answered. */
  answerTurns = true;
  /** A supervisor has the floor: caller turns are heard (and transcribed) but not answered. */
  held = false;

  constructor(
    private readonly agent: ConversationAgent,
    private readonly outputRate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    super('agent');
  }

  protected override async process(frame: Frame, direction: Direction): Promise<void> {
    if (direction === 'upstream') return this.push(frame, direction);
    switch (frame.type) {
      case 'interruption':
        // Not audible yet: drop it here. Once playing, the output stops it and records what was heard.
        if (this.current?.status === 'pending') this.current.interrupt();
        this.push(frame);
        return;
      case 'user-turn':
        this.push(frame);
        if (!this.answerTurns || this.held) return; // an answering machine talks, or a supervisor has the floor
        return this.reply('reply', (signal) => this.agent.respond(frame.text, signal), frame);
      case 'agent-say':
        return this.say(frame);
      default:
        this.push(frame);
    }
  }

  private say(frame: FrameOf<'agent-say'>): Promise<void> {
    // Queued before a supervisor took the floor (the opening, a notice): not said over them.
    if (this.held && frame.source !== 'resume') return Promise.resolve();
    if (frame.source === 'opening' && frame.text === undefined) return this.reply('opening', (signal) => this.agent.opening(signal));
    if (frame.source === 'unavailable') {
      const agent = this.agent;
      return this.reply('resume', (signal) => agent.personUnavailable?.(signal) ?? lines("I'm sorry, no colleague is free right now. When would be a good time for us to call you back? "));
    }
    if (frame.source === 'resume') {
      const agent = this.agent;
      const summary = frame.text ?? '';
      return this.reply('resume', (signal) => agent.resume?.(summary, signal) ?? lines('Thank you for holding. '));
    }
    const text = frame.source === 'voicemail' ? (frame.text ?? this.agent.voicemail()) : (frame.text ?? '');
    return this.reply(frame.source, async function* () {
      yield { type: 'text', text } as AgentOutput;
    });
  }

  private async reply(source: SpeechSource, run: (signal: AbortSignal) => AsyncIterable<AgentOutput>, turn?: FrameOf<'user-turn'>): Promise<void> {
    const signal = this.signal;
    const handle = new SpeechHandle(source, this.outputRate);
    handle.timing.user = turn?.timing;
    handle.timing.agentStartAt = this.now();
    this.current = handle;
    void handle.done.then((outcome) => this.agent.heard(outcome.heardText, outcome.interrupted));
    const splitter = new SentenceSplitter();
    const actions: Array<FrameOf<'agent-action'>> = [];
    const sendText = (pieces: string[]) => {
      for (const text of pieces) this.push({ kind: 'data', type: 'agent-text', handle, text });
    };
    try {
      for await (const out of run(signal)) {
        if (signal.aborted || handle.interrupted) break;
        if (out.type === 'text') {
          if (!out.text) continue;
          handle.timing.firstTokenAt ??= this.now();
          sendText(splitter.push(out.text));
        } else {
          const action: FrameOf<'agent-action'> = { kind: 'control', type: 'agent-action', action: out.action, handle };
          actions.push(action);
          // Dispositions (do-not-call, callback, transfer) count as soon as they are decided.
          this.observer?.onFrame(action, 'agent-decision', 'downstream');
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      this.push({ kind: 'system', type: 'error', stage: 'agent', message: `The agent failed: ${(error as Error).message}`, fatal: false }, 'upstream');
      sendText(splitter.flush());
      sendText([APOLOGY]);
      actions.push({ kind: 'control', type: 'agent-action', action: { type: 'end-call', reason: 'agent-error' }, handle });
    }
    if (!signal.aborted && !handle.interrupted) sendText(splitter.flush());
    this.push({ kind: 'control', type: 'agent-reply-end', handle });
    for (const action of actions) this.push(action);
  }
}

async function* lines(text: string): AsyncIterable<AgentOutput> {
  yield { type: 'text', text };
}
