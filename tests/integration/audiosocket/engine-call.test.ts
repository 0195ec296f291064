import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine';
import type { SpeechToText } from '../../../electron/engine/ports/speech';
import type { AudioSocketTelephony } from '../../../electron/engine/telephony/audiosocket/telephony';
import type { CallBrief } from '../../../electron/engine/voice/agents/types';
import { resample } from '../../../electron/engine/audio/resample';
import { decodeWav } from '../../../electron/engine/audio/wav';
import { tempDataDir } from '../../support/temp-dir';
import { AsteriskSocketClient, FakeAri, samplesOf, until } from './support/asterisk-side';
import { openLine } from './support/line';

/**
 * Real calls need a recogniser. The answering machine is told apart by Parley's detector from the
 * audio alone, so this test-only one hears no words (it never ships as recognition).
 */
const hearsNoWords: SpeechToText = {
  name: 'test recogniser (hears no words)',
  capabilities: { languages: ['en'], gpu: false },
  transcribe: async () => ({ text: '' }),
  dispose: async () => undefined,
};

function speech(text: string): Int16Array {
  const out = spawnSync('espeak-ng', ['--stdout', '-v', 'en-gb', '-s', '165', text], { maxBuffer: 20_000_000 });
  if (out.status !== 0) throw new Error(`espeak-ng failed: ${out.stderr.toString()}`);
  const wav = decodeWav(new Uint8Array(out.stdout));
  return resample(wav.samples, wav.sampleRate, 8_000);
}

const level = (s: Int16Array) => Math.sqrt(s.reduce((sum, v) => sum + v * v, 0) / Math.max(1, s.length));

/** Plays audio to Parley as Asterisk would: one 20 ms message every 20 ms. Returns when the last was sent. */
async function play(client: AsteriskSocketClient, audio: Int16Array): Promise<number> {
  const started = performance.now();
  const frames = Math.ceil(audio.length / 160);
  for (let f = 0; f < frames && !client.closed; f++) {
    const frame = new Int16Array(160);
    frame.set(audio.subarray(f * 160, (f + 1) * 160));
    client.sendAudio(frame);
    const due = started + (f + 1) * 20;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  }
  return performance.now();
}

const BRIEF: CallBrief = {
  campaignName: 'Northside Auto',
  agentPrompt: 'You are Sam from Northside Auto.',
  questions: ['Would you like to book your spring service?'],
  voicemailMessage: 'Hi, this is Sam from Northside Auto about your spring service. Please call us back.',
  contact: { name: 'Jo Smith' },
};

describe('a call through Asterisk AudioSocket, with Parley deciding who answered', () => {
  const data = tempDataDir();
  let engine: Engine;
  let ari: FakeAri;
  let line: AudioSocketTelephony;
  let port = 0;
  const clients: AsteriskSocketClient[] = [];

  beforeAll(async () => {
    engine = await createEngine({ dataDir: data.dir, logger: pino({ level: 'silent' }), dialer: { mode: 'off' }, voice: { speechToText: hearsNoWords } });
    ari = await FakeAri.start();
    ari.respond = (r) => (r.path === '/ari/asterisk/info' ? { status: 200, body: { system: { version: '20.5.0' } } } : r.method === 'POST' ? { status: 200, body: {} } : { status: 200, body: { state: 'Ringing' } });
    const opened = await openLine({ ariUrl: ari.url, ariUsername: 'parley', ariEndpoint: 'PJSIP/{number}@trunk' }, 'pw');
    line = opened.line;
    port = opened.port;
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await line?.dispose();
    await ari?.close();
    await engine?.dispose();
    data.cleanup();
  });

  async function place(callId: string) {
    const posts = ari.requests.filter((r) => r.method === 'POST').length;
    const done = engine.context.voice.launcher.launch({ callId, campaignId: '', contactId: '', phoneE164: '+15551234567', attempt: 1 }, undefined, BRIEF, line);
    await until(() => ari.requests.filter((r) => r.method === 'POST').length > posts, 20_000);
    const uuid = ari.requests.filter((r) => r.method === 'POST').at(-1)!.query.get('channelId')!;
    const asterisk = await AsteriskSocketClient.open(port);
    clients.push(asterisk);
    asterisk.sendUuid(uuid);
    return { done, asterisk };
  }

  it('an answering machine: Parley recognises it and leaves the message after the beep', async () => {
    const { done, asterisk } = await place('amd-machine');
    const greeting = speech("Hi, you've reached Pat. I can't take your call right now. Please leave a message after the tone.");
    const beep = Int16Array.from({ length: 8_000 * 0.5 }, (_, i) => Math.round(8_000 * Math.sin((2 * Math.PI * 1_000 * i) / 8_000)));
    await play(asterisk, new Int16Array(8_000 * 0.4));
    await play(asterisk, greeting);
    await play(asterisk, new Int16Array(8_000 * 0.4));
    const beepSentAt = await play(asterisk, beep);
    await play(asterisk, new Int16Array(8_000 * 8)); // the machine records in silence
    const result = await done;
    expect(result.outcome).toBe('voicemail');
    expect(result.detail).toContain('voicemail left');
    expect(result.detail).toMatch(/answered by a machine, decided by Parley/);
    const spokenFrames = asterisk.audio().filter((m) => level(samplesOf(m.payload)) > 300);
    expect(spokenFrames.length).toBeGreaterThan(50); // the message was spoken to the machine
    expect(spokenFrames[0]!.at).toBeGreaterThan(beepSentAt - 100); // and only after the beep
    await until(() => asterisk.closed);
  }, 60_000);

  it('a person who says "Hello?" and waits: the agent opens the conversation', async () => {
    const { done, asterisk } = await place('amd-person');
    const hello = speech('Hello?');
    await play(asterisk, new Int16Array(8_000 * 0.3));
    const helloEndedAt = await play(asterisk, hello);
    for (let i = 0; i < 200 && asterisk.audio().filter((m) => level(samplesOf(m.payload)) > 300).length < 25; i++) await play(asterisk, new Int16Array(160 * 5));
    const spokenFrames = asterisk.audio().filter((m) => level(samplesOf(m.payload)) > 300);
    expect(spokenFrames.length).toBeGreaterThanOrEqual(25); // half a second of the agent's opening
    expect(spokenFrames[0]!.at - helloEndedAt).toBeLessThan(3_000); // after about a second of waiting
    asterisk.send(0x00);
    const result = await done;
    expect(result.detail).toMatch(/answered by a person, decided by Parley/);
  }, 60_000);
});
