import { afterAll, describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../../electron/contracts';
import { fixture } from '../../support/fixtures';
import { DANA, hasEspeak, is, openHarness, rejection, sleep, spoken, waitForEvent, type Harness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: the agent speaks with it');
  console.warn('[not run] softphone tests: espeak-ng is not installed (apt-get install espeak-ng)');
}
const whisperModel = fixture('models/for-tests-ggml-tiny.en.bin');

const level = (samples: Int16Array) => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));

describe.runIf(espeak)('softphone test calls', () => {
  const open: Harness[] = [];
  afterAll(async () => {
    for (const h of open) {
      const started = Date.now();
      await h.close();
      console.log(`[softphone] engine closed in ${Date.now() - started} ms`);
    }
  }, 60_000);

  it('refuses clearly when no speech model could understand the desk agent', async () => {
    const h = await openHarness();
    open.push(h);
    const campaign = await h.client.call('campaigns.create', { name: 'Prompt trial', questions: ['Is this a good time?'] });
    const error = await rejection(h.as(DANA).call('softphone.call', { campaignId: campaign.id }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('needs a speech recognition model');
    expect((await rejection(h.as(DANA).call('softphone.call', { campaignId: 'nope' }))).code).toBe('unavailable');
  });

  // The whisper.cpp test model has no trained weights: it loads and runs but hears nothing useful.
  // What is under test is the line: the agent's voice reaches the desk agent, their microphone the pipeline.
  it.runIf(whisperModel)('connects the desk agent’s microphone and speakers to the campaign’s AI agent', async () => {
    const h = await openHarness({ voice: { engines: { stt: { kind: 'whisper', modelPath: whisperModel! } } } });
    open.push(h);
    const campaign = await h.client.call('campaigns.create', { name: 'Prompt trial', questions: ['Is this a good time?'] });
    expect((await rejection(h.as(DANA).call('softphone.call', { campaignId: 'nope' }))).code).toBe('not_found');
    const ticket = await h.as(DANA).call('softphone.call', { campaignId: campaign.id });
    const heard: AudioFrame[] = [];
    let closed: string | undefined;
    const stream = h.engine.context.supervision.audio.open(ticket.token, { send: (f) => heard.push(f), close: (reason) => (closed = reason) });
    const started = await waitForEvent(h, is('call.started', (p) => p.callId === ticket.callId));
    expect(started.payload.engines.telephony).toBe('softphone');
    await waitForEvent(h, is('call.answered', (p) => p.callId === ticket.callId));
    const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === ticket.callId)!;
    expect(card).toMatchObject({ telephony: 'softphone', contactName: 'Dana Reyes', campaignName: 'Prompt trial', phone: '' });
    // The agent's greeting plays on the desk agent's speakers (16 kHz).
    const agentFrames = () => heard.filter((f) => f.kind === 'agent');
    for (let i = 0; i < 150 && agentFrames().length < 50; i++) await sleep(50);
    const agent = agentFrames();
    expect(agent.length).toBeGreaterThanOrEqual(50); // a second of the greeting, paced in real time
    expect(agent.some((f) => level(f.samples!) > 300)).toBe(true);
    expect(agent[0]!.sampleRate).toBe(16_000);
    // The desk agent answers; their microphone (48 kHz) reaches the pipeline as caller speech.
    // (Hung up while they still speak: the weightless test model would take long over a transcript.)
    const words = spoken('Yes, this is a good time, I would like to hear more about it.', 48_000);
    const speaking = waitForEvent(h, is('call.activity', (p) => p.callId === ticket.callId && p.callerSpeaking), 8_000);
    let heardSpeech = false;
    void speaking.then(() => (heardSpeech = true), () => undefined);
    for (let at = 0; at < words.length && !heardSpeech; at += 960) {
      stream.receive({ kind: 'mic', callId: ticket.callId, sampleRate: 48_000, samples: words.slice(at, at + 960) });
      await sleep(20);
    }
    await speaking;
    // A DNC makes no sense without a number: said clearly.
    const dnc = await rejection(h.as(DANA).call('supervision.markDnc', { callId: ticket.callId }));
    expect(dnc.message).toContain('no phone number');
    // Hanging up in the console ends the call as hung up by the caller.
    stream.closed();
    const ended = await waitForEvent(h, is('call.ended', (p) => p.callId === ticket.callId), 10_000);
    expect(ended.payload.detail).toContain('hung up by the caller');
    expect(closed).toBeUndefined();
  }, 60_000);

  it.runIf(whisperModel)('fails the call, not the engine, when the console never opens its audio', async () => {
    const h = await openHarness({ voice: { engines: { stt: { kind: 'whisper', modelPath: whisperModel! } } }, supervision: { ticketTtlMs: 500 } });
    open.push(h);
    const campaign = await h.client.call('campaigns.create', { name: 'Prompt trial' });
    const ticket = await h.as(DANA).call('softphone.call', { campaignId: campaign.id });
    const ended = await waitForEvent(h, is('call.ended', (p) => p.callId === ticket.callId), 10_000);
    expect(ended.payload).toMatchObject({ outcome: 'failed', detail: 'The console did not open the softphone audio in time' });
  }, 30_000);
});
