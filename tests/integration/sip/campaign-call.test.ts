import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { importText } from '../dialer/harness';
import { tempDataDir } from '../../support/temp-dir';
import { ScriptRecogniser } from '../../support/script-recogniser';
import { countLoudMs, startBaresip, wavSamples, type Baresip } from './baresip';
import { waitFor } from './harness';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';

const ALL_DAY = LEGAL_ALL_WEEK;
const NUMBER = '+13125550101';


/**
 * A campaign dials a real SIP phone through the whole engine: campaign -> dialer -> SIP line ->
 * baresip (auto-answer, speaks an espeak-ng recording, records what it hears). The caller's speech
 * reaches the agent, the agent's speech reaches baresip, a key press reaches the agent, and the call
 * ends and is stored like any other.
 */
describe('a campaign on a SIP line calls baresip', () => {
  const data = tempDataDir('parley-sip-campaign-');
  const recogniser = new ScriptRecogniser();
  const events: EngineEvent[] = [];
  let far: Baresip;
  let engine: Engine;
  let client: ParleyClient;

  beforeAll(async () => {
    const raw = join(data.dir, 'caller-raw.wav');
    const speech = join(data.dir, 'caller.wav');
    execFileSync('espeak-ng', ['-w', raw, 'Hello? Yes, I would like to book the spring service.']);
    // Silence first (the agent opens), then the answer, then silence: baresip hangs up when its file ends.
    execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', speech, 'pad', '9', '40']);
    far = await startBaresip(data.dir, speech, 'far', `<sip:${NUMBER}@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA`);
    engine = await createEngine({ dataDir: join(data.dir, 'parley'), host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' }, voice: { speechToText: recogniser } });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
    await importText(engine, ['name,phone,timezone', `Dana Smith,${NUMBER},${daytimeZone()}`].join('\n'));
  });
  afterAll(async () => {
    await engine?.dispose();
    await far?.stop();
    data.cleanup();
  });

  it('talks, hears, takes a key press and hangs up; the call is stored as a real call', async () => {
    const line = await client.call('lines.create', { kind: 'sip', name: 'Office PBX', maxCalls: 2, settings: { server: '127.0.0.1', port: far.sipPort, register: false, username: 'parley' } });
    await waitFor(() => engine.context.lines.carriers.state(line.id).status === 'ready', 8_000, `the line to be ready: ${JSON.stringify(engine.context.lines.carriers.state(line.id))}`);
    const campaign = await client.call('campaigns.create', { name: 'Spring service', lineId: line.id, disclosure: false, questions: ['Would you like to book your spring service?', 'Press one on your keypad to confirm.'], callingWindow: ALL_DAY, maxAttempts: 1 });
    await client.call('campaigns.launch', { id: campaign.id });
    const report = await engine.context.dialing.dialer.tick();
    expect(report.placed).toHaveLength(1);
    const callId = report.placed[0]!.attemptId;
    await waitFor(() => events.some((e) => e.name === 'call.answered' && e.payload.callId === callId), 10_000, `baresip to answer\n${far.output().slice(-2_000)}`);

    // The caller's recording reaches the agent as a turn.
    await waitFor(() => events.some((e) => e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'caller'), 25_000, 'a caller turn');
    expect(recogniser.heard).toBeGreaterThan(0);
    // Asked to press one, the caller does: the key press reaches the agent as the answer.
    const agentSaid = (pattern: RegExp) => events.some((e) => e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'agent' && pattern.test(e.payload.text ?? ''));
    await waitFor(() => agentSaid(/Press one/), 25_000, 'the agent to ask for a key press');
    await far.keys('1\x04');
    await waitFor(() => events.some((e) => e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'caller' && /pressed 1 on the keypad/.test(e.payload.text ?? '')), 15_000, 'the key press as a caller turn');

    await engine.context.dialing.dialer.settled();
    const ended = events.find((e) => e.name === 'call.ended' && e.payload.callId === callId);
    // The agent closes and hangs up itself (our BYE), long before the far end's recording runs out.
    expect(ended?.payload).toMatchObject({ outcome: 'completed', detail: expect.stringContaining('ended by agent') });
    // The campaign turned the disclosure off, and a dialled call honours that.
    expect(agentSaid(/automated call/)).toBe(false);
    const call = await engine.context.store.db.selectFrom('calls').select(['dry_run', 'line_id', 'state']).where('id', '=', callId).executeTakeFirstOrThrow();
    expect(call).toEqual({ dry_run: 0, line_id: line.id, state: 'ended' });

    // What baresip heard: the agent's voice, several seconds of it.
    await far.stop();
    const dump = readdirSync(far.dir).find((f) => /^dump-.*-dec\.wav$/.test(f));
    expect(dump, `files: ${readdirSync(far.dir).join(', ')}`).toBeDefined();
    const heard = wavSamples(join(far.dir, dump!));
    expect(countLoudMs(heard.samples, heard.rate)).toBeGreaterThan(2_000);
  }, 90_000);
});
