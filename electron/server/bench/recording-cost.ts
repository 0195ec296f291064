import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpusEncoderPool } from '../../engine/audio/opus-encoder-pool';
import { Resampler } from '../../engine/audio/resample';
import { EspeakTts } from '../../engine/adapters/tts/espeak';
import { CallRecorder } from '../../engine/recording/call-recorder';
import type { Benchmark } from './index';

const LINE_RATE = 8_000;
const FRAME = LINE_RATE / 50;
const CALL_SECONDS = 120;
const CALLS = 3;

async function speech(tts: EspeakTts, text: string): Promise<Int16Array> {
  const chunks: Int16Array[] = [];
  let rate = LINE_RATE;
  for await (const chunk of tts.synthesize(text)) {
    chunks.push(chunk.samples);
    rate = chunk.sampleRate;
  }
  const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return rate === LINE_RATE ? all : new Resampler(rate, LINE_RATE).process(all);
}

/**
 * What recording costs per call: CPU time of the whole recording path (the taps, the timeline, the
 * encoder thread, the Ogg pages, hashing and writing) over the audio it recorded, as % of one core,
 * and file size per recorded minute. Calls are 2 minutes of 8 kHz line audio in which the caller
 * (espeak-ng) and the agent (another espeak-ng voice) take turns, fed frame by frame on a simulated
 * clock so the run takes seconds, not minutes.
 */
export async function measureRecordingCost(): Promise<{ recordingCpuPct: number; mbPerMinute: number; calls: number; secondsPerCall: number }> {
  const tts = new EspeakTts();
  const caller = await speech(tts, 'Yes, that sounds good. Tuesday works best for me, in the morning if you can, before ten.');
  const agent = await speech(tts, 'Thank you. Which weekday suits you best for the spring service, and would you prefer the morning or the afternoon?');
  await tts.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-recording-'));
  const pool = new OpusEncoderPool();
  let bytes = 0;
  let seconds = 0;
  try {
    // One short call first, so thread start-up and WASM compilation do not count.
    await recordCall(pool, dir, 'warm-up', caller, agent, 2);
    const cpu = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) {
      const result = await recordCall(pool, dir, `call-${i}`, caller, agent, CALL_SECONDS);
      bytes += result.bytes;
      seconds += result.durationMs / 1000;
    }
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    return { recordingCpuPct: round((cpuMs / (seconds * 1000)) * 100), mbPerMinute: round(bytes / 1e6 / (seconds / 60)), calls: CALLS, secondsPerCall: CALL_SECONDS };
  } finally {
    await pool.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function recordCall(pool: OpusEncoderPool, dir: string, callId: string, caller: Int16Array, agent: Int16Array, seconds: number): Promise<{ bytes: number; durationMs: number }> {
  let clock = 0;
  let summary: { bytes: number; durationMs: number } | undefined;
  let failure: string | undefined;
  const recorder = new CallRecorder({
    pool,
    dataDir: dir,
    callId,
    policy: { needsConsent: false, redact: false },
    wallClock: () => Date.now(),
    now: () => clock,
    flushEveryMs: 1,
    output: { started: () => undefined, closed: (s) => (summary = s), failed: (m) => (failure = m), event: () => undefined },
  });
  recorder.begin();
  const frames = seconds * 50;
  // Turns: the agent speaks (right), a second of silence, the caller speaks (left), a second of silence.
  const turns = [agent, caller];
  let turn = 0;
  let offset = 0;
  let gap = 0;
  const silence = new Int16Array(FRAME);
  for (let f = 0; f < frames; f++) {
    clock += 20;
    let frame: Int16Array = silence;
    const speaker = turn % 2;
    if (gap > 0) gap--;
    else {
      const speaking = turns[speaker]!;
      frame = speaking.length - offset >= FRAME ? speaking.subarray(offset, offset + FRAME) : silence;
      offset += FRAME;
      if (offset >= speaking.length) {
        offset = 0;
        turn++;
        gap = 50;
      }
    }
    // The line delivers caller audio every frame; the agent's voice goes out only while it speaks.
    recorder.inbound(speaker === 1 ? frame : silence, LINE_RATE, f * 20);
    if (speaker === 0 && frame !== silence) recorder.outbound(frame, LINE_RATE);
    if (f % 10 === 9) await new Promise((r) => setTimeout(r, 1));
  }
  await recorder.close();
  if (failure || !summary) throw new Error(`recording failed: ${failure ?? 'no summary'}`);
  return summary;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export const benchmark: Benchmark = {
  description: 'call recording: CPU per call (% of one core, encoder thread included) and MB per recorded minute (targets < 2 %, <= 0.5 MB/min)',
  async run({ log }) {
    log(`Recording ${CALLS} simulated calls of ${CALL_SECONDS} s (stereo Ogg Opus)...`);
    const result = await measureRecordingCost();
    log(`CPU per call: ${result.recordingCpuPct} % of one core; ${result.mbPerMinute} MB per minute`);
    return result;
  },
};
