import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rms } from '../../../electron/engine/audio/pcm';
import { freeUdpPort, sleep, udpSocket, waitFor } from './harness';

/**
 * baresip as a real far end: auto-answers, plays a WAV as its microphone (aufile) and records what it
 * hears (sndfile); its console port takes keys (digits are DTMF in a call, `b` hangs up).
 */
export interface Baresip {
  sipPort: number;
  consPort: number;
  dir: string;
  output: () => string;
  /** Types keys into baresip's console (digits in a call are sent as DTMF; `b` hangs up). */
  keys: (text: string) => Promise<void>;
  stop: () => Promise<void>;
}

export function wavSamples(path: string): { rate: number; samples: Int16Array } {
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

export async function startBaresip(parent: string, speechWav: string, name: string, account = '<sip:far@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA'): Promise<Baresip> {
  const dir = join(parent, name);
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

/** Milliseconds of 20 ms frames louder than -34 dBFS. */
export function countLoudMs(samples: Int16Array, rate: number): number {
  const frame = Math.round(rate / 50);
  let loud = 0;
  for (let i = 0; i + frame <= samples.length; i += frame) if (rms(samples.subarray(i, i + frame)) > 0.02) loud += 20;
  return loud;
}
