import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { SipLineSettings } from '../../contracts';
import { EspeakTts } from '../../engine/adapters/tts/espeak';
import type { CallLeg } from '../../engine/ports/telephony';
import type { SpeechToText } from '../../engine/ports/speech';
import { openRtpSession, type RtpSessionMedia } from '../../engine/telephony/rtp/session';
import { synthesizeLine } from '../../engine/telephony/simulated/caller';
import { SipTelephony } from '../../engine/telephony/sip/sip-telephony';
import { ScriptedFlowAgent } from '../../engine/voice/agents/scripted-agent';
import { CallSession } from '../../engine/voice/call-session';
import { EnergyVad } from '../../engine/voice/energy-vad';
import { PlayoutClock } from '../../engine/voice/playout-clock';
import { DEFAULT_SESSION, type SessionResult } from '../../engine/voice/session-types';
import { CachingTts } from '../../engine/voice/tts-cache';
import type { Benchmark } from './index';
import { FarEndScriptStt } from './far-end-script-stt';
import { FarEndMedia, missingTools, SippAnswerer, type FarEndReport } from './sip-peer';
import { percentile, round } from './voice-sim';

/** The bars. */
export const JITTER_P99_BUDGET_MS = 5;
export const MEMORY_PER_CALL_BUDGET_MB = 30;
const CONCURRENT_CALLS = 50;
/** Calls are placed this far apart, as a dialer paces a line; all are live together after 5 s. */
const STAGGER_MS = 100;
/** A call still going after this long is hung up (the script takes about 30 s). */
const MAX_CALL_MS = 90_000;
const CALLER_REPLY = 'Yes, that works for me.';
const FIRST_NAMES = ['Dana', 'Lee', 'Amara', 'Jonas', 'Priya', 'Mateo', 'Chloe', 'Sam', 'Noor', 'Kenji'];


interface CallFigures {
  setupMs: number | null;
  result: SessionResult | null;
  error: string | null;
}

async function placeCall(telephony: SipTelephony, index: number, deps: { clock: PlayoutClock; tts: CachingTts; stt: SpeechToText }): Promise<CallFigures> {
  const name = FIRST_NAMES[index % FIRST_NAMES.length]!;
  const agent = new ScriptedFlowAgent({
    campaignName: 'Northside Auto',
    agentPrompt: 'You are Sam from Northside Auto.',
    questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'],
    contact: { name: `${name} Caller${index}` },
  });
  const started = performance.now();
  let leg: CallLeg;
  try {
    leg = await telephony.dial({ callId: `bench-sip-${index}`, to: `+1555${String(2_000_000 + index)}` });
  } catch (error) {
    return { setupMs: null, result: null, error: (error as Error).message };
  }
  const session = new CallSession(leg, { vad: new EnergyVad(), stt: deps.stt, tts: deps.tts }, agent, deps.clock, DEFAULT_SESSION);
  const answered = await new Promise<{ ok: boolean; detail: string }>((resolve) =>
    leg.onEvent((event) => {
      if (event.type === 'answered') resolve({ ok: true, detail: '' });
      else if (event.type !== 'ringing') resolve({ ok: false, detail: event.type === 'failed' || event.type === 'invalid-number' ? event.reason : event.type });
    }),
  );
  if (!answered.ok) return { setupMs: null, result: null, error: answered.detail };
  const setupMs = performance.now() - started;
  const limit = setTimeout(() => void leg.hangup(), MAX_CALL_MS);
  try {
    return { setupMs, result: await session.run('human'), error: null };
  } finally {
    clearTimeout(limit);
  }
}

const MEDIA_ONLY_MS = 15_000;

/**
 * Phase 1: RTP sessions only (no SIP, no call pipeline), each queueing a line of speech every 5 s
 * and playing what the far end sends to a listener: what the media layer costs by itself, so the
 * full calls' figures can be told apart from it.
 */
async function mediaLayerAlone(speech: Int16Array, clock: PlayoutClock, logger: pino.Logger) {
  const far = await FarEndMedia.start(speech);
  const sessions: RtpSessionMedia[] = [];
  try {
    for (let i = 0; i < CONCURRENT_CALLS; i++) {
      const media = await openRtpSession({ clock, logger, label: `media-only-${i}` });
      media.setRemote({ address: '127.0.0.1', port: far.port }, { codec: 'PCMU', payloadType: 0, dtmfPayloadType: 101 });
      media.onAudio(() => undefined);
      sessions.push(media);
    }
    const started = performance.now();
    while (performance.now() - started < MEDIA_ONLY_MS) {
      for (const media of sessions) media.sendAudio(speech);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
    const report = await far.report();
    const stats = sessions.map((m) => m.stats());
    return {
      calls: CONCURRENT_CALLS,
      seconds: MEDIA_ONLY_MS / 1000,
      rtpJitterP50Ms: report.intervalDeviationP50Ms === null ? null : round(report.intervalDeviationP50Ms),
      rtpJitterP99Ms: report.intervalDeviationP99Ms === null ? null : round(report.intervalDeviationP99Ms),
      rtpJitterMaxMs: report.intervalDeviationMaxMs === null ? null : round(report.intervalDeviationMaxMs),
      packetsSent: stats.reduce((n, s) => n + s.packetsSent, 0),
      packetsLost: report.lost,
      badTimestamps: report.badTimestamps,
      inboundPacketsLost: stats.reduce((n, s) => n + s.packetsLost, 0),
    };
  } finally {
    far.stop();
    await Promise.allSettled(sessions.map((m) => m.close()));
  }
}

/** p99 of how late a drift-corrected 20 ms timer fires, over `beats` beats, against its earliest beat. */
async function bareTimerLatenessP99(beats: number): Promise<number | null> {
  const lateness: number[] = [];
  const origin = performance.now();
  for (let n = 1; n <= beats; n++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, origin + n * 20 - performance.now())));
    lateness.push(performance.now() - origin - n * 20);
  }
  const earliest = Math.min(...lateness);
  return percentile(lateness.map((l) => l - earliest), 0.99);
}

/**
 * `parley bench sip`: (1) the media layer alone, 50 RTP sessions; (2) 50 concurrent calls placed
 * 100 ms apart by the engine's SIP user agent to SIPp on loopback, each a CallSession with the
 * scripted agent speaking through espeak-ng and a far end that answers after the agent goes quiet.
 * Setup is dial() to the 200 OK (answered); RTP jitter is |interval - 20 ms| between consecutive
 * packets of each call at the far end's socket (a separate process), p99 over all packets; memory is
 * the rise of this process's peak resident memory over the baseline, per call; CPU is this
 * process's CPU time over the wall time, per call. A bare timer's lateness and the load average say
 * how busy the machine itself was. Needs `npm run build` (the far-end process is built beside the CLI).
 */
export const benchmark: Benchmark = {
  description: `${CONCURRENT_CALLS} concurrent SIP calls on loopback: SIPp answers, the engine's SIP user agent and RTP carry a scripted agent's espeak-ng speech`,
  async run({ log }) {
    const missing = missingTools(['sipp', 'espeak-ng']);
    if (missing.length > 0) throw new Error(`parley bench sip needs ${missing.join(' and ')} (Debian: apt-get install sip-tester espeak-ng)`);
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-sip-'));
    const logger = pino({ level: 'silent' });
    const clock = new PlayoutClock();
    const espeak = new EspeakTts();
    const callerVoice = new EspeakTts({ voice: 'en-gb' });
    const tts = new CachingTts(espeak);
    const sessions: RtpSessionMedia[] = [];
    let farEnd: FarEndMedia | undefined;
    let sipp: SippAnswerer | undefined;
    let telephony: SipTelephony | undefined;
    try {
      log('Far end: synthesizing the caller\'s reply, starting the media process and SIPp…');
      const reply = await synthesizeLine(callerVoice, CALLER_REPLY, 'en-gb', 8_000);
      log(`[1/2] the media layer alone: ${CONCURRENT_CALLS} RTP sessions on the shared clock, ${MEDIA_ONLY_MS / 1000} s, agent speech queued every 5 s…`);
      const mediaOnly = await mediaLayerAlone(reply, clock, logger);
      log(`      send-interval jitter at the receiving socket: p50 ${mediaOnly.rtpJitterP50Ms} ms, p99 ${mediaOnly.rtpJitterP99Ms} ms, max ${mediaOnly.rtpJitterMaxMs} ms; packets lost ${mediaOnly.packetsLost}`);
      log('[2/2] full calls: SIPp answers, the SIP user agent dials, the scripted agent talks…');
      farEnd = await FarEndMedia.start(reply);
      sipp = await SippAnswerer.start(dir, farEnd.port);
      const rtpBase = 40_000 + 2 * Math.floor(Math.random() * 4_000);
      telephony = new SipTelephony(
        {
          id: 'bench-line',
          name: 'bench (SIPp on loopback)',
          settings: SipLineSettings.parse({ server: '127.0.0.1', port: sipp.port, transport: 'udp', username: 'parley', register: false, localAddress: '127.0.0.1', localPort: 0, rtpPortMin: rtpBase, rtpPortMax: rtpBase + 999 }),
          secret: undefined,
          callerIds: ['+15550100'],
          codecs: ['PCMU', 'PCMA'],
          maxCalls: CONCURRENT_CALLS,
        },
        { logger, clock },
        {
          openMedia: async (request) => {
            const media = await openRtpSession(request);
            sessions.push(media);
            return media;
          },
        },
      );
      await telephony.start();
      const readyBy = Date.now() + 10_000;
      while (telephony.state().status !== 'ready' && Date.now() < readyBy) await new Promise((resolve) => setTimeout(resolve, 50));
      if (telephony.state().status !== 'ready') throw new Error(`The SIP line did not become ready: ${telephony.state().detail}. SIPp said: ${sipp.output().slice(-500)}`);
      // The agent's fixed lines are synthesized once before measuring, as a running engine has them cached.
      for (const line of ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?']) for await (const _ of tts.synthesize(line)) void _;

      log('Timing a bare 20 ms timer for 5 s first (how late this machine wakes a process with nothing to do)…');
      const idleTimerLatenessP99Ms = await bareTimerLatenessP99(250);
      log(`Placing ${CONCURRENT_CALLS} calls ${STAGGER_MS} ms apart…`);
      const stt = new FarEndScriptStt(CALLER_REPLY);
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      // The send side's own view: how late each beat of the shared clock fired (what the far end sees, less the network and its own scheduling).
      const beatLateness: number[] = [];
      const clockOrigin = performance.now();
      let beatsSeen = 0;
      const stopBeatProbe = clock.add((frames) => {
        beatsSeen += frames;
        beatLateness.push(performance.now() - clockOrigin - beatsSeen * clock.frameMs);
      });
      const load = loadavg()[0]!;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const calls: Array<Promise<CallFigures>> = [];
      for (let i = 0; i < CONCURRENT_CALLS; i++) {
        calls.push(placeCall(telephony, i, { clock, tts, stt }));
        await new Promise((resolve) => setTimeout(resolve, STAGGER_MS));
      }
      const figures = await Promise.all(calls);
      const wallMs = performance.now() - started;
      stopBeatProbe();
      const used = process.cpuUsage(cpu);
      clearInterval(sampler);
      loop.disable();
      const far: FarEndReport = await farEnd.report();
      farEnd = undefined;

      const answered = figures.filter((f) => f.setupMs !== null);
      const results = figures.flatMap((f) => (f.result ? [f.result] : []));
      const setups = answered.map((f) => f.setupMs!);
      const rtp = sessions.map((s) => s.stats());
      const errors = [...new Set(figures.flatMap((f) => (f.error ? [f.error] : [])))];
      const result = {
        concurrentCalls: CONCURRENT_CALLS,
        answeredCalls: answered.length,
        completedCalls: results.filter((r) => r.endedBy === 'agent').length,
        endedBy: Object.fromEntries([...new Set(results.map((r) => r.endedBy))].map((k) => [k, results.filter((r) => r.endedBy === k).length])),
        setupP50Ms: percentile(setups, 0.5),
        setupP95Ms: percentile(setups, 0.95),
        rtpJitterP50Ms: far.intervalDeviationP50Ms === null ? null : round(far.intervalDeviationP50Ms),
        rtpJitterP99Ms: far.intervalDeviationP99Ms === null ? null : round(far.intervalDeviationP99Ms),
        rtpJitterMaxMs: far.intervalDeviationMaxMs === null ? null : round(far.intervalDeviationMaxMs),
        rtpJitterBudgetMs: JITTER_P99_BUDGET_MS,
        maxRealTimeFactor: results.length ? Math.round(Math.max(...results.map((r) => r.stats.realTimeFactor)) * 10_000) / 10_000 : null,
        droppedFrames: results.reduce((n, r) => n + r.stats.droppedFrames, 0),
        underruns: results.reduce((n, r) => n + r.stats.underruns, 0),
        packetsSent: rtp.reduce((n, s) => n + s.packetsSent, 0),
        packetsReceivedByFarEnd: far.packets,
        packetsLostToFarEnd: far.lost,
        badTimestampsAtFarEnd: far.badTimestamps,
        inboundPacketsLost: rtp.reduce((n, s) => n + s.packetsLost, 0),
        inboundLatePackets: rtp.reduce((n, s) => n + s.latePackets, 0),
        callerReplies: far.replies,
        agentTurns: results.reduce((n, r) => n + r.latencies.length, 0),
        cpuPercentPerCall: round((100 * (used.user + used.system)) / 1_000 / wallMs / CONCURRENT_CALLS),
        memoryPerCallMb: round((peak - baseline) / CONCURRENT_CALLS / 1_048_576),
        memoryBudgetMb: MEMORY_PER_CALL_BUDGET_MB,
        eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
        idleTimerLatenessP99Ms,
        clockBeatLatenessP99Ms: percentile(beatLateness.map((l) => Math.max(0, l - Math.min(...beatLateness.slice(0, 50)))), 0.99),
        loadAverageAtStart: round(load),
        loadAverageAtEnd: round(loadavg()[0]!),
        cores: cpus().length,
        wallSeconds: round(wallMs / 1000),
        errors,
        mediaLayerAlone: mediaOnly,
        covers: 'SIP signalling with SIPp (INVITE/200/ACK/BYE, OPTIONS), RTP both ways on loopback, CallSession with the scripted agent, energy VAD and espeak-ng; the caller\'s words come from the far end\'s script (no speech recognition)',
      };
      log(`${result.answeredCalls}/${CONCURRENT_CALLS} answered, ${result.completedCalls} completed by the agent in ${result.wallSeconds} s`);
      log(`setup (INVITE to 200 OK) p50 ${result.setupP50Ms} ms, p95 ${result.setupP95Ms} ms`);
      log(`outbound RTP send-interval jitter at the receiving socket: p50 ${result.rtpJitterP50Ms} ms, p99 ${result.rtpJitterP99Ms} ms, max ${result.rtpJitterMaxMs} ms (budget p99 ${JITTER_P99_BUDGET_MS} ms)`);
      log(`max real-time factor ${result.maxRealTimeFactor}; dropped frames ${result.droppedFrames}; packets lost to the far end ${result.packetsLostToFarEnd}`);
      log(`shared clock's beat lateness p99 ${result.clockBeatLatenessP99Ms} ms (a bare timer before the calls: ${idleTimerLatenessP99Ms} ms); load average ${result.loadAverageAtStart} at the start, ${result.loadAverageAtEnd} at the end, on ${result.cores} cores`);
      log(`CPU ${result.cpuPercentPerCall}% of a core per call; memory ${result.memoryPerCallMb} MB per call (budget ${MEMORY_PER_CALL_BUDGET_MB}); event-loop delay p99 ${result.eventLoopDelayP99Ms} ms`);
      if (errors.length) log(`errors: ${errors.join('; ')}`);
      return result;
    } finally {
      farEnd?.stop();
      await telephony?.dispose().catch(() => undefined);
      await Promise.allSettled(sessions.map((s) => s.close()));
      await sipp?.stop();
      clock.stop();
      await Promise.allSettled([espeak.dispose(), callerVoice.dispose()]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
