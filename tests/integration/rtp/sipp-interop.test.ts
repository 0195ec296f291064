import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRtpSession } from '../../../electron/engine/telephony/rtp/session';
import { concatPcm, rms } from '../../../electron/engine/audio/pcm';
import { decodeWav } from '../../../electron/engine/audio/wav';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { capturingLogger, loud, rawSocket, waitFor } from './harness';

/**
 * Interoperability with real RTP software: SIPp answers a call and streams an espeak-ng
 * recording (mu-law WAV made by sox) with its own RTP stack; our session must play all of it.
 * The few SIP messages here are test scaffolding to get SIPp to send, not the product's SIP.
 */
const missing = ['sipp', 'espeak-ng', 'sox'].filter((tool) => {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  if (process.env.CI === 'true') throw new Error(`SIPp RTP interop needs ${missing.join(', ')} in CI (.ci/run installs them)`);
  console.warn(`[not run] SIPp RTP interop: ${missing.join(', ')} not installed`);
}

describe.skipIf(missing.length > 0)('RTP interop with SIPp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-rtp-sipp-'));
  let sipp: ChildProcess | undefined;

  afterAll(() => {
    sipp?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it("plays SIPp's RTP stream of recorded speech without loss, at its real length", async () => {
    execFileSync('espeak-ng', ['-w', join(dir, 'speech.wav'), 'Hello, this is a test of the real time transport protocol.']);
    execFileSync('sox', [join(dir, 'speech.wav'), '-r', '8000', '-c', '1', '-e', 'u-law', join(dir, 'speech-ulaw.wav')]);
    // SIPp streams its file's bytes as they are (a WAV header would play as noise): give it raw mu-law.
    execFileSync('sox', [join(dir, 'speech-ulaw.wav'), '-t', 'ul', join(dir, 'speech.ul')]);
    const seconds = Number(execFileSync('soxi', ['-D', join(dir, 'speech-ulaw.wav')]).toString());
    copyFileSync(join(import.meta.dirname, 'sipp-uas-stream.xml'), join(dir, 'uas.xml'));

    const sipPort = 30_000 + 2 * Math.floor(Math.random() * 10_000);
    const exit = new Promise<number | null>((resolve) => {
      sipp = spawn('sipp', ['-sf', 'uas.xml', '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(sipPort + 2), '-m', '1', '-nostdin', '-timeout', '20s'], { cwd: dir, stdio: 'ignore' });
      sipp.on('exit', (code) => resolve(code));
    });

    const clock = new PlayoutClock();
    const { logger } = capturingLogger();
    const media = await openRtpSession({ clock, logger, label: 'sipp' });
    const sip = await rawSocket();
    try {
      const heard: Int16Array[] = [];
      media.onAudio((frame) => heard.push(frame));
      const responses: string[] = [];
      sip.on('message', (m) => responses.push(m.toString()));
      const local = sip.address().port;
      const headers = (method: string, cseq: number) =>
        [`${method} sip:parley@127.0.0.1:${sipPort} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${method}${cseq}${Date.now()}`, 'Max-Forwards: 70', `From: <sip:test@127.0.0.1:${local}>;tag=rtp1`, `To: <sip:parley@127.0.0.1:${sipPort}>`, `Call-ID: rtp-interop-${local}`, `CSeq: ${cseq} ${method}`, `Contact: <sip:test@127.0.0.1:${local}>`];
      const sdp = ['v=0', `o=- 1 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${media.local.port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
      const invite = [...headers('INVITE', 1), 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(sdp)}`, '', sdp].join('\r\n');
      // SIPp needs a moment to open its port; resend the INVITE until it answers.
      await waitFor(() => {
        if (responses.some((r) => r.startsWith('SIP/2.0 200'))) return true;
        sip.send(invite, sipPort, '127.0.0.1');
        return false;
      }, 10_000, "SIPp's 200 OK");
      const ok = responses.find((r) => r.startsWith('SIP/2.0 200'))!;
      const toTag = /^To:.*$/im.exec(ok)![0].trim();
      const port = Number(/^m=audio (\d+)/m.exec(ok)![1]);
      media.setRemote({ address: '127.0.0.1', port }, { codec: 'PCMU', payloadType: 0, dtmfPayloadType: null });
      const ack = [...headers('ACK', 1).map((h) => (h.startsWith('To:') ? toTag : h)), 'Content-Length: 0', '', ''].join('\r\n');
      sip.send(ack, sipPort, '127.0.0.1');

      const frames = Math.round(seconds * 50);
      await waitFor(() => media.stats().packetsReceived >= frames - 1, (seconds + 5) * 1000, 'the whole recording');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stats = media.stats();
      const why = JSON.stringify(stats);
      expect(stats, why).toMatchObject({ packetsLost: 0, discardedPackets: 0, strayPackets: 0 });
      // SIPp stalled by a busy machine sends in bursts; the jitter buffer may drop a few frames then.
      const dropped = stats.latePackets + stats.trimmedFrames;
      expect(dropped, why).toBeLessThanOrEqual(5);
      // The frames we played carry the recording: as many speech frames as the file has, same level.
      const source = decodeWav(new Uint8Array(readFileSync(join(dir, 'speech-ulaw.wav')))).samples;
      const sourceFrames = Array.from({ length: Math.floor(source.length / 160) }, (_, i) => source.subarray(i * 160, i * 160 + 160));
      const expectedSpeech = sourceFrames.filter(loud).length;
      expect(expectedSpeech).toBeGreaterThan(20);
      expect(Math.abs(heard.filter(loud).length - expectedSpeech), why).toBeLessThanOrEqual(2 + dropped);
      const energy = (samples: Int16Array) => rms(samples) ** 2 * samples.length;
      expect(energy(concatPcm(heard)) / energy(source), why).toBeGreaterThan(dropped === 0 ? 0.95 : 0.85);
      expect(energy(concatPcm(heard)) / energy(source)).toBeLessThan(1.05);

      const bye = [...headers('BYE', 2).map((h) => (h.startsWith('To:') ? toTag : h)), 'Content-Length: 0', '', ''].join('\r\n');
      sip.send(bye, sipPort, '127.0.0.1');
      expect(await exit).toBe(0);
    } finally {
      sip.close();
      await media.close();
      clock.stop();
    }
  }, 30_000);
});
