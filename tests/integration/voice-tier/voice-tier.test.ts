import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { pcmToBytes } from '../../../electron/engine/audio';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { findPersona } from '../../../electron/engine/telephony/simulated/personas';
import { importText } from '../dialer/harness';
import { hasEspeak } from '../supervision/harness';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';
import { tempDataDir } from '../../support/temp-dir';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] voice tier test: espeak-ng is not installed (apt-get install espeak-ng)');
}
const KEY = 'xi-test-key-5d2f';
const VOICE = 'premiumVoice01';
const PEOPLE = { hot: '+13125550301', eager: '+13125550302', cold: '+13125550303' };

/** A stand-in for ElevenLabs' streaming endpoint: 300 ms of a tone as raw PCM for any sentence. */
async function fakeElevenLabs() {
  const sentences: string[] = [];
  const tone = pcmToBytes(Int16Array.from({ length: 4_800 }, (_, i) => Math.round(4_000 * Math.sin((2 * Math.PI * 330 * i) / 16_000))));
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (req.headers['xi-api-key'] !== KEY || !req.url?.startsWith(`/v1/text-to-speech/${VOICE}/stream`)) return void res.writeHead(401).end();
      sentences.push((JSON.parse(raw) as { text: string }).text);
      res.writeHead(200, { 'content-type': 'audio/pcm' }).end(Buffer.from(tone));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sentences, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

describe.runIf(espeak)('a premium voice for hot leads', () => {
  const data = tempDataDir('parley-voice-tier-');
  let engine: Engine;
  let client: ParleyClient;
  let voice: Awaited<ReturnType<typeof fakeElevenLabs>>;

  beforeAll(async () => {
    voice = await fakeElevenLabs();
    engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
    client = createClient(engine.transport());
  });
  afterAll(async () => {
    await engine?.dispose();
    await voice?.close();
    data.cleanup();
  });

  it('speaks premium from the start to a contact scored hot before, switches mid-call when the caller shows it, and records the tier of every agent turn', async () => {
    const premium = await client.call('providers.create', { role: 'tts', kind: 'elevenlabs', name: 'ElevenLabs premium', settings: { voiceId: VOICE, baseUrl: voice.url }, prices: { perMillionCharacters: 30 }, apiKey: KEY });
    const telephony = engine.context.voice.runtime.telephony as SimulatedTelephony;
    const base = findPersona('cooperative')!;
    telephony.assign(PEOPLE.hot, 'cooperative');
    telephony.assign(PEOPLE.eager, { ...base, id: 'eager', replies: [{ parts: [{ text: 'Hello? Who is calling?' }] }, { parts: [{ text: 'Yes, sign me up. We have the budget approved, we want it this week, and I make the decisions.' }] }, { parts: [{ text: 'Thank you, bye.' }] }] });
    telephony.assign(PEOPLE.cold, { ...base, id: 'cold', replies: [{ parts: [{ text: 'Hello? Who is calling?' }] }, { parts: [{ text: 'Maybe. I do not know yet.' }] }, { parts: [{ text: 'Bye.' }] }] });
    await importText(engine, ['name,phone,timezone', ...Object.entries(PEOPLE).map(([name, phone]) => `${name},${phone},${daytimeZone()}`)].join('\n'));
    const sqlite = engine.context.store.sqlite;
    const contactOf = (phone: string) => sqlite.prepare('select id from contacts where phone_e164 = ?').pluck().get(phone) as string;
    // The hot contact's last call was analysed as a qualified lead (0.9).
    sqlite.prepare("insert into calls (id, campaign_id, contact_id, direction, state, created_at) values ('earlier-call', null, ?, 'outbound', 'ended', 1)").run(contactOf(PEOPLE.hot));
    sqlite
      .prepare(
        "insert into call_analysis (call_id, campaign_id, contact_id, call_created_at, summary, outcome, answers, qualification, interest, budget, timeline, decision_maker, csat, next_action, dominant_emotion, method, model, conversation, qualified, converted, created_at) values ('earlier-call', null, ?, 1, 'Wants a quote', 'interested', '[]', 0.9, 'high', '{}', '{}', 'yes', 4, '{}', null, 'rules', null, 1, 1, 0, 1)",
      )
      .run(contactOf(PEOPLE.hot));

    const line = await client.call('lines.create', { kind: 'simulated', name: 'Rehearsal', maxCalls: 3 });
    await expect(client.call('campaigns.create', { name: 'Bad', lineId: line.id, premiumVoice: { providerId: 'nope', minQualification: 0.6 } })).rejects.toMatchObject({ code: 'invalid_payload' });
    const campaign = await client.call('campaigns.create', { name: 'Spring offers', companyName: 'Northside Auto', lineId: line.id, callingWindow: LEGAL_ALL_WEEK, maxAttempts: 1, maxConcurrentCalls: 3, questions: ['Would you like our spring offer?', 'Anything else?'], premiumVoice: { providerId: premium.id, minQualification: 0.6 } });
    await client.call('campaigns.launch', { id: campaign.id });
    const report = await engine.context.dialing.dialer.tick();
    expect(report.placed).toHaveLength(3);
    await engine.context.dialing.dialer.settled();

    const tiers = (phone: string) =>
      sqlite.prepare("select t.voice_tier from transcript_turns t join calls c on c.id = t.call_id where c.contact_id = ? and c.id != 'earlier-call' and t.speaker = 'agent' order by t.seq").pluck().all(contactOf(phone)) as string[];
    const hot = tiers(PEOPLE.hot);
    const eager = tiers(PEOPLE.eager);
    const cold = tiers(PEOPLE.cold);
    expect(hot.length).toBeGreaterThan(0);
    expect(new Set(hot)).toEqual(new Set(['premium']));
    expect(eager[0]).toBe('standard');
    expect(eager).toContain('premium');
    expect(eager.slice(eager.indexOf('premium')).every((t) => t === 'premium')).toBe(true);
    expect(cold.length).toBeGreaterThan(0);
    expect(new Set(cold)).toEqual(new Set(['standard']));
    expect(voice.sentences.length).toBeGreaterThan(0);
  }, 120_000);
});
