import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallLegEvent } from '../../../electron/engine/ports/telephony';
import { rms } from '../../../electron/engine/audio/pcm';
import { tempDataDir } from '../../support/temp-dir';
import { KAMAILIO_PASSWORD, startKamailio } from './kamailio';
import { countLoudMs, startBaresip, wavSamples } from './baresip';
import { lineConfig, makeLine, recordEvents, sleep, waitFor } from './harness';

/**
 * A real softphone as the far end: baresip auto-answers, plays an espeak-ng WAV as its microphone
 * (aufile) and records what it hears (sndfile). Parley dials it, hears it, speaks to it, receives
 * its DTMF and sends it ours, and BYE works from either side.
 */

let temp: ReturnType<typeof tempDataDir>;
let speechWav: string;
let agentSpeech: Int16Array;

const stops: Array<() => Promise<void>> = [];

beforeAll(() => {
  temp = tempDataDir('parley-baresip-');
  speechWav = join(temp.dir, 'caller.wav');
  const raw = join(temp.dir, 'caller-raw.wav');
  execFileSync('espeak-ng', ['-w', raw, 'Hello, this is the customer speaking. I would like to hear about the offer, please.']);
  // Padded with silence: baresip ends the call when its audio file runs out.
  execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', speechWav, 'pad', '0', '15']);
  const agentRaw = join(temp.dir, 'agent-raw.wav');
  const agentWav = join(temp.dir, 'agent.wav');
  execFileSync('espeak-ng', ['-w', agentRaw, 'Good afternoon. I am calling from Parley about your order.']);
  execFileSync('sox', [agentRaw, '-r', '8000', '-c', '1', '-b', '16', agentWav]);
  agentSpeech = wavSamples(agentWav).samples;
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
afterAll(() => temp.cleanup());

describe('a call to baresip', () => {
  it('carries speech both ways and DTMF both ways; our BYE ends it', async () => {
    const far = await startBaresip(temp.dir, speechWav, 'both-ways');
    stops.push(far.stop);
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: far.sipPort }));
    stops.push(() => line.dispose());
    await line.start();
    expect(line.state().status, far.output()).toBe('ready');
    const leg = await line.dial({ callId: 'c-baresip', to: 'far' });
    const events = recordEvents(leg);
    let heardFrames = 0;
    let loudFrames = 0;
    leg.onAudio((frame) => {
      heardFrames++;
      if (rms(frame) > 0.02) loudFrames++;
    });
    await waitFor(() => events.some((e) => e.type === 'answered'), 8_000, `baresip to answer\n${far.output()}`);
    // Our agent speaks: the whole utterance, queued at once as 20 ms frames, then a mark.
    for (let i = 0; i + 160 <= agentSpeech.length; i += 160) leg.sendAudio(agentSpeech.subarray(i, i + 160));
    leg.mark('agent-done');
    const spokenMs = Math.floor(agentSpeech.length / 160) * 20;
    await waitFor(() => events.some((e) => e.type === 'mark'), spokenMs + 3_000, 'our speech to be sent');
    // A digit key, then baresip's key-release code (0x04), which ends the RFC 4733 event.
    await far.keys('7\x04');
    await waitFor(() => events.some((e) => e.type === 'dtmf'), 3_000, `DTMF from baresip\n${far.output().slice(-2_000)}`);
    expect(events.find((e) => e.type === 'dtmf')).toEqual({ type: 'dtmf', digits: '7' });
    expect(loudFrames, `heard ${heardFrames} frames`).toBeGreaterThan(25);
    // And ours reaches baresip (RFC 4733 from the RTP session).
    leg.sendDtmf('4');
    await waitFor(() => /received event: '4' \(end=1\)/.test(far.output()), 3_000, `baresip to receive our DTMF\n${far.output().slice(-1_000)}`);
    await leg.hangup();
    expect(events.at(-1)).toEqual<CallLegEvent>({ type: 'hangup', by: 'agent' });
    await waitFor(() => /Call with sip:parley@127\.0\.0\.1 terminated/.test(far.output()), 3_000, 'baresip to see the BYE');
    await far.stop();
    // What baresip heard: its decoded-audio dump (sndfile) is non-silent and about as long as what we said.
    const dump = readdirSync(far.dir).find((f) => /^dump-.*-dec\.wav$/.test(f));
    expect(dump, `files: ${readdirSync(far.dir).join(', ')}`).toBeDefined();
    const heard = wavSamples(join(far.dir, dump!));
    const loudMs = countLoudMs(heard.samples, heard.rate);
    expect(loudMs).toBeGreaterThan(spokenMs * 0.5);
    const totalMs = (heard.samples.length / heard.rate) * 1000;
    expect(totalMs).toBeGreaterThan(spokenMs * 0.9);
  });

  it('ends cleanly when baresip hangs up', async () => {
    const far = await startBaresip(temp.dir, speechWav, 'far-bye');
    stops.push(far.stop);
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: far.sipPort }));
    stops.push(() => line.dispose());
    await line.start();
    const leg = await line.dial({ callId: 'c-baresip-bye', to: 'far' });
    const events = recordEvents(leg);
    await waitFor(() => events.some((e) => e.type === 'answered'), 8_000, 'baresip to answer');
    await sleep(300);
    await far.keys('b');
    await waitFor(() => events.some((e) => e.type === 'hangup'), 5_000, `the far end's BYE\n${far.output().slice(-2_000)}`);
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'caller' });
  });
});

describe('a call through kamailio', () => {
  it('registers with digest, answers the 407 on INVITE, reaches baresip registered there, and ends through the Record-Route', async () => {
    const proxy = await startKamailio(temp.dir, { proxy: true, name: 'proxy' });
    stops.push(proxy.stop);
    const far = await startBaresip(temp.dir, speechWav, 'via-proxy', `<sip:far@127.0.0.1:${proxy.port}>;auth_pass=${KAMAILIO_PASSWORD};regint=300;answermode=auto;audio_codecs=PCMU`);
    stops.push(far.stop);
    await waitFor(() => /200 OK|registered/i.test(far.output()), 5_000, `baresip to register\n${far.output()}`);
    const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: proxy.port, register: true }, KAMAILIO_PASSWORD));
    stops.push(() => line.dispose());
    await line.start();
    expect(line.state().status, proxy.log().slice(-2_000)).toBe('ready');
    const leg = await line.dial({ callId: 'c-proxy', to: 'far' });
    const events = recordEvents(leg);
    let loudFrames = 0;
    leg.onAudio((frame) => {
      if (rms(frame) > 0.02) loudFrames++;
    });
    await waitFor(() => events.some((e) => e.type === 'answered' || e.type === 'failed'), 8_000, `the call through kamailio\n${proxy.log().slice(-3_000)}`);
    expect(events.find((e) => e.type !== 'ringing')).toEqual({ type: 'answered', by: 'unknown' });
    await waitFor(() => loudFrames > 25, 4_000, 'the callee speaking');
    await leg.hangup();
    await waitFor(() => /SEEN BYE/.test(proxy.log()), 3_000, 'our BYE to go through the proxy');
    // The first INVITE was challenged (407) and the second carried Proxy-Authorization.
    const invites = proxy.log().split('\n').filter((l) => /SEEN INVITE/.test(l));
    expect(invites).toHaveLength(2);
    expect(invites[0]).toMatch(/pauth=$/);
    expect(invites[1]).toMatch(/pauth=[1-9]\d*$/);
  });
});


