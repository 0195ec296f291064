import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { EspeakTts } from '../../../electron/engine/adapters/tts/espeak';
import { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import type { Persona } from '../../../electron/engine/telephony/simulated/personas';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { tempDataDir } from '../../support/temp-dir';

/** People say something on picking up, as on real lines: "Hello?", or a receptionist's whole greeting. */
const RECEPTIONIST = 'Good afternoon, Northside Dental, this is Kim speaking, how can I help you today?';
class HelloSayingCarrier extends SimulatedTelephony {
  override personaOf(phone: string): Persona {
    const persona = super.personaOf(phone);
    if (persona.answer !== 'human') return persona;
    return { ...persona, answerGreeting: persona.id === 'wants-human' ? RECEPTIONIST : 'Hello?' };
  }
}

/**
 * A simulated carrier with its own answering-machine detection switched off: every call is answered
 * "unknown", and Parley's detector decides, through the whole engine.
 */
describe("Parley's own answering-machine detection on a line without it", () => {
  const data = tempDataDir();
  let engine: Engine;
  const ended = new Map<string, { outcome: string; detail: string }>();
  const answeredAt = new Map<string, number>();
  const turns = new Map<string, Array<{ speaker: string; text: string; startedAt: number }>>();
  const calls: Record<string, string> = {};
  const events = async (callId: string) => (await engine.context.store.db.selectFrom('call_events').selectAll().where('call_id', '=', callId).orderBy('id').execute()).map((r) => ({ kind: r.kind, data: JSON.parse(r.data) as Record<string, unknown> }));

  beforeAll(async () => {
    const telephony = new HelloSayingCarrier({ tts: new EspeakTts(), clock: new PlayoutClock(), machineDetection: false });
    expect(telephony.capabilities.answeringMachineDetection).toBe(false);
    engine = await createEngine({ dataDir: data.dir, logger: pino({ level: 'silent' }), dialer: { mode: 'off' }, voice: { telephony } });
    engine.subscribe((e: EngineEvent) => {
      if (e.name === 'call.ended') ended.set(e.payload.callId, e.payload);
      if (e.name === 'call.answered') answeredAt.set(e.payload.callId, Date.now());
      if (e.name === 'call.turn') turns.set(e.payload.callId, [...(turns.get(e.payload.callId) ?? []), e.payload]);
    });
    const leave = await engine.invoke('campaigns.create', { name: 'Northside Auto', questions: ['Would you like to book your spring service?'], voicemailMessage: 'Hi, this is Sam from Northside Auto about your spring service. Please call us back.' });
    const hangUp = await engine.invoke('campaigns.create', { name: 'Quiet Campaign', questions: ['Would you like to book your spring service?'], voicemailAction: 'hang-up' });
    const id = (r: unknown) => (r as { ok: true; result: { id: string } }).result.id;
    const place = async (key: string, campaignId: string, persona: string) => {
      const outcome = await engine.invoke('voice.testCall', { campaignId, persona, contactName: 'Jo Smith' });
      expect(outcome.ok).toBe(true);
      calls[key] = (outcome as { ok: true; result: { callId: string } }).result.callId;
    };
    await Promise.all([place('machine', id(leave), 'voicemail'), place('person', id(leave), 'cooperative'), place('machine-hang-up', id(hangUp), 'voicemail'), place('receptionist', id(hangUp), 'wants-human')]);
    const deadline = Date.now() + 100_000;
    while (ended.size < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  }, 120_000);

  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('takes the answering machine for one, records how, and leaves the message after the beep', async () => {
    const callId = calls.machine!;
    expect(ended.get(callId)).toMatchObject({ outcome: 'voicemail', detail: expect.stringContaining('voicemail left') });
    expect(ended.get(callId)!.detail).toContain('decided by Parley');
    const log = await events(callId);
    const answered = log.find((e) => e.kind === 'call.answered')!;
    expect(answered.data).toMatchObject({ by: 'machine', decidedBy: 'parley' });
    expect(['long-greeting', 'much-speech', 'transcript', 'deadline']).toContain(answered.data.method);
    expect(answered.data.atMs as number).toBeLessThanOrEqual(4_000);
    const beep = log.find((e) => e.kind === 'machine.beep')!;
    expect(beep.data.hz as number).toBeGreaterThan(975);
    expect(beep.data.hz as number).toBeLessThan(1_025);
    // The message began after the beep ended, not at the verdict (which came during the greeting).
    const message = turns.get(callId)!.find((t) => t.speaker === 'agent')!;
    expect(message.text).toContain('Please call us back');
    const beepAfterVerdictMs = (beep.data.endMs as number) - (answered.data.atMs as number);
    expect(beepAfterVerdictMs).toBeGreaterThan(300);
    expect(message.startedAt - answeredAt.get(callId)!).toBeGreaterThanOrEqual(beepAfterVerdictMs - 150);
    const voice = await engine.context.store.db.selectFrom('call_voice').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow();
    expect(voice).toMatchObject({ answered_by: 'machine', voicemail_left: 1 });
  });

  it('takes the person who said "Hello?" for a person, and the call goes on as usual', async () => {
    const callId = calls.person!;
    expect(ended.get(callId)?.outcome).toBe('completed');
    const answered = (await events(callId)).find((e) => e.kind === 'call.answered')!;
    expect(answered.data).toMatchObject({ by: 'human', decidedBy: 'parley', method: 'short-greeting' });
    const said = turns.get(callId)!;
    expect(said[0]!.speaker).toBe('agent'); // the greeting was screened, not answered twice
    expect(said.filter((t) => t.speaker === 'caller').map((t) => t.text)).toContain('Yes, that sounds good.');
  });

  it('hangs up on the machine when the campaign says so, leaving no message', async () => {
    const callId = calls['machine-hang-up']!;
    expect(ended.get(callId)).toMatchObject({ outcome: 'voicemail', detail: expect.stringContaining('hung up, as the campaign says') });
    const log = await events(callId);
    expect(log.find((e) => e.kind === 'call.answered')!.data).toMatchObject({ by: 'machine', decidedBy: 'parley', confirmation: { answeredBy: 'machine' } });
    expect(log.some((e) => e.kind === 'voicemail.skipped')).toBe(true);
    expect(turns.get(callId) ?? []).toEqual([]);
  });

  it('does not hang up on a receptionist whose long greeting first sounded like a machine', async () => {
    const callId = calls.receptionist!;
    const answered = (await events(callId)).find((e) => e.kind === 'call.answered')!;
    expect(answered.data).toMatchObject({ by: 'human', decidedBy: 'parley', method: expect.stringMatching(/long-greeting|much-speech|deadline/), confirmation: { answeredBy: 'human' } });
    expect(ended.get(callId)?.outcome).toBe('completed');
    expect(ended.get(callId)!.detail).toMatch(/answered by a person, decided by Parley: .*refuted: the speaker stopped/);
    const said = turns.get(callId)!;
    expect(said[0]!.speaker).toBe('agent');
    expect(said.some((t) => t.speaker === 'caller' && /real person/.test(t.text))).toBe(true);
  });
});
