import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallLegEvent } from '../../../electron/engine/ports/telephony';
import { rms } from '../../../electron/engine/voice/audio/pcm';
import { tempDataDir } from '../../support/temp-dir';
import { KAMAILIO_PASSWORD, startKamailio } from './kamailio';
import { freeUdpPort, lineConfig, makeLine, recordEvents, sleep, udpSocket, waitFor } from './harness';

/**
 * A real softphone as the far end: baresip auto-answers, plays an espeak-ng WAV as its microphone
 * (aufile) and records what it hears (sndfile). Parley dials it, hears it, speaks to it, receives
 * its DTMF and sends it ours, and BYE works from either side.
 */

interface Baresip {
  sipPort: number;
  consPort: number;
  dir: string;
  output: () => string;
  /** Types keys into baresip's console (digits in a call are sent as DTMF; `b` hangs up). */
  keys: (text: string) => Promise<void>;
  stop: () => Promise<void>;
}

let temp: ReturnType<typeof tempDataDir>;
let speechWav: string;
let agentSpeech: Int16Array;

function wavSamples(path: string): { rate: number; samples: Int16Array } {
  const data = readFileSync(path);
  let offset = 12;
  let rate = 8_000;
  while (offset + 8 <= data.length) {
    const id = data.toString('ascii', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    if (id === 'fmt ') rate = data.readUInt32LE(offset + 12);
    if (id === 'data') {
      const bytes = data.subarray(offset + 8, offset + 8 + Math.min(size, data.length - offset - 8));
      return { rate, samples: new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.length & ~1))) };
    }
    offset += 8 + size + (size & 1);
  }
  return { rate, samples: new Int16Array(0) };
}

async function startBaresip(name: string, account = '<sip:far@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA'): Promise<Baresip> {
  const dir = join(temp.dir, name);
  execFileSync('mkdir', ['-p', dir]);
  const sipPort = await freeUdpPort();
  const consPort = await freeUdpPort();
  writeFileSync(
    join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${sipPort}`,
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module aubridge.so',
      'module sndfile.so',
      'module cons.so',
      'module_app account.so',
      'module_app menu.so',
      `cons_listen 127.0.0.1:${consPort}`,
      `audio_source aufile,${speechWav}`,
      'audio_player aubridge,nowhere',
      'audio_alert aubridge,nowhere',
      `snd_path ${dir}`,
      'rtp_ports 40000-49999',
      'net_interface 127.0.0.1',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), `${account}\n`);
  writeFileSync(join(dir, 'contacts'), '');
  let out = '';
  const child: ChildProcess = spawn('baresip', ['-f', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-30_000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-30_000)));
  await waitFor(() => /cons: UI console listening|baresip is ready/.test(out) || child.exitCode !== null, 8_000, 'baresip to start').catch(() => undefined);
  if (child.exitCode !== null) throw new Error(`baresip did not start:\n${out}`);
  const cons = await udpSocket();
  let stopped = false;
  return {
    sipPort,
    consPort,
    dir,
    output: () => out,
    keys: async (text) => {
      for (const key of text) {
        cons.send(key, consPort, '127.0.0.1');
        await sleep(120);
      }
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      cons.close();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(2_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

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
    const far = await startBaresip('both-ways');
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
    const far = await startBaresip('far-bye');
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
    const far = await startBaresip('via-proxy', `<sip:far@127.0.0.1:${proxy.port}>;auth_pass=${KAMAILIO_PASSWORD};regint=300;answermode=auto;audio_codecs=PCMU`);
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

function countLoudMs(samples: Int16Array, rate: number): number {
  const frame = Math.round(rate / 50);
  let loud = 0;
  for (let i = 0; i + frame <= samples.length; i += frame) if (rms(samples.subarray(i, i + frame)) > 0.02) loud += 20;
  return loud;
}

