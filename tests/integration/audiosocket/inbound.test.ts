import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallLegEvent, IncomingCall } from '../../../electron/engine/ports/telephony';
import { decodeWav } from '../../../electron/engine/audio/wav';
import { resample } from '../../../electron/engine/audio/resample';
import { AsteriskSocketClient, samplesOf, until } from './support/asterisk-side';
import { openLine } from './support/line';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(sampleRate: 8_000 | 16_000 = 8_000) {
  const opened = await openLine({ sampleRate });
  cleanups.push(() => opened.line.dispose());
  const incoming: IncomingCall[] = [];
  opened.line.onIncoming((call) => incoming.push(call));
  const client = await AsteriskSocketClient.open(opened.port);
  cleanups.push(() => client.close());
  return { ...opened, incoming, client };
}

function espeak(text: string, rate: number): Int16Array {
  const out = spawnSync('espeak-ng', ['--stdout', '-v', 'en-us', text], { maxBuffer: 10_000_000 });
  if (out.status !== 0) throw new Error(`espeak-ng failed: ${out.stderr.toString()}`);
  const wav = decodeWav(new Uint8Array(out.stdout));
  return resample(wav.samples, wav.sampleRate, rate);
}

describe('AudioSocket server: an inbound call from Asterisk', () => {
  it('offers the call after its UUID, carries speech in, paced audio out, DTMF, marks, clear and hangup', async () => {
    const { line, client, incoming } = await setup();
    expect(line.state().status).toBe('ready');
    const uuid = randomUUID();
    client.sendUuid(uuid);
    await until(() => incoming.length === 1);
    const call = incoming[0]!;
    expect(call.leg.id).toBe(uuid);
    expect(call.leg.sampleRate).toBe(8_000);
    const events: CallLegEvent[] = [];
    const heard: Int16Array[] = [];
    call.leg.onEvent((e) => events.push(e));
    call.leg.onAudio((f) => heard.push(f));
    await call.accept();
    expect(events[0]).toEqual({ type: 'answered', by: 'unknown' });

    // Speech in: espeak-ng at 8 kHz, sent as Asterisk does (20 ms messages).
    const speech = espeak('Hello, I would like to book a service for my car.', 8_000);
    const frames = Math.floor(speech.length / 160);
    for (let f = 0; f < frames; f++) client.sendAudio(speech.subarray(f * 160, (f + 1) * 160));
    await until(() => heard.length === frames);
    expect(heard.every((f) => f.length === 160)).toBe(true);
    expect(heard[Math.floor(frames / 2)]).toEqual(speech.subarray(Math.floor(frames / 2) * 160, (Math.floor(frames / 2) + 1) * 160));

    // DTMF in.
    client.send(0x03, Buffer.from('7'));
    await until(() => events.some((e) => e.type === 'dtmf'));
    expect(events.find((e) => e.type === 'dtmf')).toEqual({ type: 'dtmf', digits: '7' });

    // Audio out: 50 frames (one second) queued at once must arrive paced at real time, then the mark.
    const tone = Int16Array.from({ length: 160 * 50 }, (_, i) => Math.round(6_000 * Math.sin((2 * Math.PI * 440 * i) / 8_000)));
    call.leg.sendAudio(tone);
    call.leg.mark('greeting');
    await until(() => events.some((e) => e.type === 'mark'), 5_000);
    // The mark is reported once the last frame is written; the peer reads it a moment later.
    await until(() => client.audio(0x10).length >= 50, 1_000);
    const out = client.audio(0x10);
    expect(out).toHaveLength(50);
    expect(out.every((m) => m.payload.length === 320)).toBe(true);
    expect(samplesOf(out[10]!.payload)).toEqual(tone.subarray(1_600, 1_760));
    const spanMs = out.at(-1)!.at - out[0]!.at;
    expect(spanMs).toBeGreaterThan(49 * 20 * 0.8); // not all at once
    expect(spanMs).toBeLessThan(49 * 20 * 1.6);

    // clear(): queued audio is dropped at once and its mark reported.
    call.leg.sendAudio(new Int16Array(160 * 100).fill(1_000));
    call.leg.mark('dropped');
    await new Promise((r) => setTimeout(r, 100));
    call.leg.clear();
    expect(events.filter((e) => e.type === 'mark').map((e) => (e as { name: string }).name)).toEqual(['greeting', 'dropped']);
    const sentBeforeClear = client.audio(0x10).length;
    await new Promise((r) => setTimeout(r, 200));
    expect(client.audio(0x10).length - sentBeforeClear).toBeLessThanOrEqual(2);
    expect(client.audio(0x10).length).toBeLessThan(50 + 20);

    // DTMF out.
    call.leg.sendDtmf('12#');
    await until(() => client.received.filter((m) => m.kind === 0x03).length === 3);
    expect(client.received.filter((m) => m.kind === 0x03).map((m) => m.payload.toString())).toEqual(['1', '2', '#']);

    // The caller hangs up.
    client.send(0x00);
    await until(() => events.some((e) => e.type === 'hangup'));
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'caller' });
    await until(() => client.closed);
  });

  it('hangs up from our side with a hangup message, and closes the connection', async () => {
    const { client, incoming } = await setup();
    client.sendUuid(randomUUID());
    await until(() => incoming.length === 1);
    await incoming[0]!.accept();
    await incoming[0]!.leg.hangup();
    await until(() => client.closed);
    expect(client.received.at(-1)).toMatchObject({ kind: 0x00 });
  });

  it('speaks slin16 on a 16 kHz line: 320-sample frames in, kind 0x12 out', async () => {
    const { client, incoming } = await setup(16_000);
    client.sendUuid(randomUUID());
    await until(() => incoming.length === 1);
    const heard: Int16Array[] = [];
    incoming[0]!.leg.onAudio((f) => heard.push(f));
    await incoming[0]!.accept();
    const speech = espeak('Yes, speaking.', 16_000);
    for (let f = 0; f < 20; f++) client.sendAudio(speech.subarray(f * 320, (f + 1) * 320), 0x12);
    await until(() => heard.length === 20);
    expect(heard.every((f) => f.length === 320)).toBe(true);
    incoming[0]!.leg.sendAudio(new Int16Array(320 * 5).fill(500));
    await until(() => client.audio(0x12).length === 5);
    expect(client.audio(0x12)[0]!.payload.length).toBe(640);
    // 8 kHz audio on a 16 kHz line is resampled, not refused.
    for (let f = 0; f < 3; f++) client.sendAudio(new Int16Array(160).fill(800), 0x10);
    await until(() => heard.length >= 22); // the resampler holds back a few milliseconds
    expect(heard.slice(20).every((f) => f.length === 320)).toBe(true);
  });

  it('a rejected call gets a hangup message; a line with nobody to answer refuses calls', async () => {
    const { client, incoming } = await setup();
    client.sendUuid(randomUUID());
    await until(() => incoming.length === 1);
    await incoming[0]!.reject('busy', 'all agents busy');
    await until(() => client.closed);
    expect(client.received.map((m) => m.kind)).toContain(0x00);

    const bare = await openLine();
    cleanups.push(() => bare.line.dispose());
    const caller = await AsteriskSocketClient.open(bare.port);
    cleanups.push(() => caller.close());
    caller.sendUuid(randomUUID());
    await until(() => caller.closed);
    expect(caller.received.map((m) => m.kind)).toEqual([0x00]);
    expect(bare.warnings().map((l) => l.msg)).toEqual(['AudioSocket call refused: this line takes no inbound calls']);
  });

  it('test() checks that the server accepts connections (no ARI configured)', async () => {
    const { line } = await setup();
    const result = await line.test();
    expect(result.ok).toBe(true);
    expect(result.verdict).toMatch(/accepts connections on 127\.0\.0\.1:\d+ \(inbound only/);
  });
});
