import { describe, expect, it } from 'vitest';
import type { LanguageModel, LlmChunk, LlmConversation } from '../../../electron/engine/ports/llm';
import { recogniseIntent, spokenTime } from '../../../electron/engine/voice/agents/intents';
import { DISCLOSURE_LINE } from '../../../electron/contracts/emotion';
import { LlmAgent } from '../../../electron/engine/voice/agents/llm-agent';
import { ScriptedFlowAgent } from '../../../electron/engine/voice/agents/scripted-agent';
import type { AgentOutput, CallBrief } from '../../../electron/engine/voice/agents/types';

const baseBrief: CallBrief = {
  campaignName: 'Northside Auto',
  companyName: 'Northside Auto',
  agentPrompt: 'You are Sam from Northside Auto.',
  questions: ['Would you like to book your spring service?', 'Which weekday suits you best?'],
  contact: { name: 'Jo Smith' },
};

async function collect(outputs: AsyncIterable<AgentOutput>): Promise<{ text: string; actions: string[] }> {
  let text = '';
  const actions: string[] = [];
  for await (const o of outputs) {
    if (o.type === 'text') text += o.text;
    else actions.push(o.action.type);
  }
  return { text: text.trim(), actions };
}

const signal = () => new AbortController().signal;

describe('scripted flow agent', () => {
  const brief = baseBrief;
  it('walks opening, questions and closing in order, then hangs up', async () => {
    const agent = new ScriptedFlowAgent(brief);
    const opening = await collect(agent.opening());
    expect(opening.text).toMatch(/^Hello Jo, I'm calling on behalf of Northside Auto\. This is an automated call.*Would you like to book your spring service\?$/);
    expect((await collect(agent.respond('Yes please'))).text).toMatch(/Which weekday suits you best\?$/);
    const last = await collect(agent.respond('Tuesday'));
    expect(last.text).toMatch(/goodbye\.$/i);
    expect(last.actions).toEqual(['end-call']);
  });

  it('says who is calling from the campaign’s company and agent names, never its internal name', async () => {
    const internal: CallBrief = { ...brief, campaignName: 'Demo: spring service reminder (2026-12-04 20:08)', companyName: 'Northside Auto', agentName: 'Sam' };
    const opening = await collect(new ScriptedFlowAgent(internal).opening());
    expect(opening.text).toMatch(/^Hello Jo, this is Sam calling on behalf of Northside Auto\. This is an automated call/);
    expect(opening.text).not.toContain('Demo');
    const nameless = await collect(new ScriptedFlowAgent({ ...internal, companyName: undefined, agentName: undefined }).opening());
    expect(nameless.text).toMatch(/^Hello Jo\. This is an automated call/);
    expect(nameless.text).not.toContain('Demo');
    expect(new ScriptedFlowAgent({ ...internal, companyName: undefined }).voicemail()).toBe('Hello Jo, this is an automated message. We will try you again later. Goodbye.');
  });

  it('uses the campaign lines with placeholders filled', async () => {
    const agent = new ScriptedFlowAgent({ ...brief, openingLine: 'Hi {firstName}, Sam here from {campaign}.', closing: 'Bye {firstName}!', disclosure: false, questions: [] });
    expect((await collect(agent.opening())).text).toBe('Hi Jo, Sam here from Northside Auto. Bye Jo!');
  });

  it('handles do-not-call, callback, a person, and "say that again"', async () => {
    const dnc = await collect(new ScriptedFlowAgent(brief).respond('Please take me off your list'));
    expect(dnc.actions).toEqual(['mark-dnc', 'end-call']);
    const callback = await collect(new ScriptedFlowAgent(brief).respond("I'm driving right now, call me back tomorrow morning"));
    expect(callback.actions).toEqual(['schedule-callback', 'end-call']);
    expect(callback.text).toContain('tomorrow morning');
    const human = await collect(new ScriptedFlowAgent(brief).respond('Can I talk to a real person?'));
    expect(human.actions).toEqual(['transfer-to-human']);
    expect(human.text).toMatch(/getting a colleague/);
    expect(human.text).not.toMatch(/goodbye|call you back/i);
    const agent = new ScriptedFlowAgent(brief);
    await collect(agent.opening());
    expect((await collect(agent.respond('Sorry?'))).text).toBe('Sure. Would you like to book your spring service?');
  });

  it('keeps a caller who waits for a person company, then books the time they give when nobody came', async () => {
    const agent = new ScriptedFlowAgent(brief);
    await collect(agent.opening());
    await collect(agent.respond('I want to speak to a person'));
    const meanwhile = await collect(agent.respond('Hello? Is anyone there?'));
    expect(meanwhile).toEqual({ text: "I'm still getting a colleague for you. Thank you for holding.", actions: [] });
    const sorry = await collect(agent.personUnavailable());
    expect(sorry.text).toMatch(/sorry for the wait.*When would be best\?/);
    expect(sorry.actions).toEqual([]);
    // No time given: asked once more; then the time they say is booked, in their words.
    expect((await collect(agent.respond('Hmm, let me think'))).text).toMatch(/What day and time/);
    const outputs: AgentOutput[] = [];
    for await (const o of agent.respond('Next Tuesday at 10:30 please')) outputs.push(o);
    const booked = outputs.flatMap((o) => (o.type === 'action' ? [o.action] : []));
    expect(booked[0]).toMatchObject({ type: 'schedule-callback', when: 'next tuesday at 10:30' });
    expect(booked[1]).toMatchObject({ type: 'end-call', reason: 'callback' });
  });

  it('reads the callback time a caller gives', () => {
    expect(spokenTime('Tomorrow at ten, please.')).toBe('tomorrow at ten');
    expect(spokenTime('Call me at 3 pm on Friday')).toBe('at 3 pm on friday');
    expect(spokenTime('tomorrow morning would be good')).toBe('tomorrow morning');
    expect(spokenTime('in two hours')).toBe('in two hours');
    expect(spokenTime('I do not know')).toBeUndefined();
  });

  it('asks again a question the caller talked over before hearing it', async () => {
    const agent = new ScriptedFlowAgent(brief);
    agent.heard((await collect(agent.opening())).text, false);
    await collect(agent.respond('Yes'));
    agent.heard('Got it. Which', true);
    expect((await collect(agent.respond('Wednesday would be better'))).text).toBe('Sorry, go ahead. Which weekday suits you best?');
  });

  it('recognises intents without tripping on ordinary answers', () => {
    expect(recogniseIntent('No, not really')).toEqual({ type: 'answer' });
    expect(recogniseIntent("Don't call me again")).toEqual({ type: 'do-not-call' });
    expect(recogniseIntent('wrong number')).toEqual({ type: 'wrong-number' });
  });
});

/** A language model whose replies the test scripts; records what the agent told it. */
class FakeModel implements LanguageModel {
  readonly name = 'fake-llm';
  readonly capabilities = { toolCalls: true, jsonSchema: true, gpu: false };
  amended: string[] = [];
  turns: Array<{ user?: string; guidance?: string }> = [];
  systemPrompt = '';
  constructor(private readonly script: Array<(signal?: AbortSignal) => AsyncIterable<LlmChunk>>) {}
  async startConversation(options: { systemPrompt: string }): Promise<LlmConversation> {
    this.systemPrompt = options.systemPrompt;
    return {
      reply: (turn, opts) => {
        this.turns.push(turn);
        const next = this.script.shift();
        if (!next) throw new Error('no scripted reply left');
        return next(opts?.signal);
      },
      amendLastReply: (heard) => this.amended.push(heard),
      dispose: async () => undefined,
    };
  }
  async completeJson(): Promise<unknown> {
    return {};
  }
  async dispose(): Promise<void> {}
}

const says = (...chunks: LlmChunk[]) => async function* () {
  for (const c of chunks) yield c;
};
// These models never produce a token: they hang, or throw, before the first one.
const hangs = () =>
  // eslint-disable-next-line require-yield
  async function* (signal?: AbortSignal): AsyncIterable<LlmChunk> {
    await new Promise((resolve) => signal?.addEventListener('abort', resolve));
  };
const throws = () =>
  // eslint-disable-next-line require-yield
  async function* (): AsyncIterable<LlmChunk> {
    throw new Error('model crashed');
  };

describe('LLM agent', () => {
  const fast = { firstTokenTimeoutMs: 150, replyTimeoutMs: 1_000, maxConsecutiveFailures: 2 };
  // The model's own opening is tested on a campaign without the disclosure (which is scripted, below).
  const brief = { ...baseBrief, disclosure: false };

  it('opens with the scripted disclosure word for word, and tells the model what it said', async () => {
    const model = new FakeModel([says({ type: 'text', text: 'Great, which weekday suits you?' })]);
    const agent = new LlmAgent(model, baseBrief, fast);
    const opening = (await collect(agent.opening(signal()))).text;
    expect(opening).toContain(DISCLOSURE_LINE);
    expect(model.turns).toEqual([]); // the model did not word the opening
    expect((await collect(agent.respond('yes please', signal()))).text).toBe('Great, which weekday suits you?');
    expect(model.turns[0]).toMatchObject({ user: 'yes please', guidance: expect.stringContaining(DISCLOSURE_LINE) });
  });

  it('asks for a person with its tool, is told to keep the caller company, and books the time said when nobody came', async () => {
    const model = new FakeModel([
      says({ type: 'text', text: "Of course, I'm getting a colleague for you now." }, { type: 'tool-call', name: 'transfer_to_human', arguments: { reason: 'wants a person' } }),
      says({ type: 'text', text: 'Still here with you, thanks for holding.' }),
      says({ type: 'text', text: "I'm sorry for the wait, nobody is free. When may we call you back?" }),
      says({ type: 'text', text: 'Tomorrow at ten it is. Goodbye.' }, { type: 'tool-call', name: 'schedule_callback', arguments: { when: 'tomorrow at ten' } }, { type: 'tool-call', name: 'end_call', arguments: { reason: 'callback' } }),
    ]);
    const agent = new LlmAgent(model, brief, fast);
    const asked = await collect(agent.respond('Can I talk to someone real?', signal()));
    expect(asked.actions).toEqual(['transfer-to-human']);
    expect(model.systemPrompt).toContain('never say goodbye for it');
    agent.awaitPerson(true);
    await collect(agent.respond('Hello?', signal()));
    expect(model.turns[1]!.guidance).toMatch(/waiting for a human colleague.*do not say goodbye/);
    const sorry = await collect(agent.personUnavailable(signal()));
    expect(sorry.text).toMatch(/sorry for the wait/i);
    expect(model.turns[2]!.guidance).toMatch(/No colleague was free.*schedule_callback/);
    const booked = await collect(agent.respond('Tomorrow at ten', signal()));
    expect(booked.actions).toEqual(['schedule-callback', 'end-call']);
  });

  it('streams text and maps tool calls to actions; the system prompt carries the campaign and contact', async () => {
    const model = new FakeModel([says({ type: 'text', text: 'Hi Jo! ' }, { type: 'text', text: 'Shall we book?' }), says({ type: 'text', text: 'Noted, goodbye.' }, { type: 'tool-call', name: 'mark_do_not_call', arguments: { reason: 'asked' } }, { type: 'tool-call', name: 'end_call', arguments: { reason: 'done' } })]);
    const agent = new LlmAgent(model, brief, fast);
    expect((await collect(agent.opening(signal()))).text).toBe('Hi Jo! Shall we book?');
    expect(model.systemPrompt).toContain('You are Sam from Northside Auto.');
    expect(model.systemPrompt).toContain('Jo Smith');
    expect(model.systemPrompt).toContain('1. Would you like to book your spring service?');
    expect(await collect(agent.respond('never call me', signal()))).toEqual({ text: 'Noted, goodbye.', actions: ['mark-dnc', 'end-call'] });
  });

  it('says the scripted line when the model hangs, and logs the timeout', async () => {
    const log: string[] = [];
    const model = new FakeModel([hangs()]);
    const agent = new LlmAgent(model, brief, fast, (e) => log.push(e.kind));
    const started = Date.now();
    const opening = await collect(agent.opening(signal()));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(opening.text).toContain('Would you like to book your spring service?');
    expect(log).toEqual(['timeout']);
    agent.heard(opening.text, false);
    expect(model.amended).toEqual([opening.text]); // the model's history gets the line actually said
  });

  it('falls back when the model throws, and stays on the script after repeated failures', async () => {
    const log: string[] = [];
    const model = new FakeModel([throws(), throws(), says({ type: 'text', text: 'never used' })]);
    const agent = new LlmAgent(model, brief, fast, (e) => log.push(e.kind));
    await collect(agent.opening(signal()));
    const second = await collect(agent.respond('Yes', signal()));
    expect(second.text).toContain('Which weekday suits you best?');
    expect(agent.degraded).toBe(true);
    expect(log).toEqual(['error', 'error', 'fallback-permanent']);
    const third = await collect(agent.respond('Tuesday', signal()));
    expect(third.actions).toEqual(['end-call']);
  });

  it('says a short filler when the first token is slow, then the reply', async () => {
    const slow = async function* (): AsyncIterable<LlmChunk> {
      await new Promise((r) => setTimeout(r, 120));
      yield { type: 'text', text: 'Here you go.' };
    };
    const agent = new LlmAgent(new FakeModel([slow]), brief, { ...fast, firstTokenTimeoutMs: 500, fillerAfterMs: 50 });
    expect((await collect(agent.opening(signal()))).text).toBe('One moment. Here you go.');
  });

  it('stops at once on barge-in without counting a failure, and keeps only what was heard', async () => {
    const model = new FakeModel([hangs()]);
    const agent = new LlmAgent(model, brief, { ...fast, firstTokenTimeoutMs: 5_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    expect((await collect(agent.opening(abort.signal))).text).toBe('');
    expect(agent.degraded).toBe(false);
    agent.heard('Hi Jo, shall', true);
    expect(model.amended).toEqual(['Hi Jo, shall']);
  });
});
