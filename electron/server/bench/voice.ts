import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { createEngine } from '../../engine';
import { createLanguageModel, createSpeechToText } from '../../engine/adapters/registry';
import { EspeakTts } from '../../engine/adapters/tts/espeak';
import { createSileroVad } from '../../engine/adapters/vad/silero';
import { synthesizeLine } from '../../engine/telephony/simulated/caller';
import { PERSONAS } from '../../engine/telephony/simulated/personas';
import { decodeWav } from '../../engine/audio/wav';
import { LlmAgent } from '../../engine/voice/agents/llm-agent';
import { ScriptedFlowAgent } from '../../engine/voice/agents/scripted-agent';
import type { CallBrief } from '../../engine/voice/agents/types';
import { PlayoutClock } from '../../engine/voice/playout-clock';
import { warmUp } from '../../engine/voice/runtime';
import type { Benchmark } from './index';
import { percentile, round, runSimulatedCalls, stageSummary } from './voice-sim';
import { providerFailover } from './provider-failover';
import { InstantTts, InstantVad } from './voice-stubs';

/** The bars. */
export const OVERHEAD_BUDGET_MS = 5;
export const MEMORY_PER_CALL_BUDGET_MB = 30;
const CONCURRENT_CALLS = 20;
const TALKERS = ['cooperative', 'backchanneler', 'number-reader', 'noisy-line'];
/** Each call greets its own contact, so every greeting is synthesized afresh (the rest of the script repeats). */
const NAMES = ['Dana Smith', 'Lee Wong', 'Amara Okafor', 'Jonas Berg', 'Priya Patel', 'Mateo Garcia', 'Chloe Martin', 'Sam Reyes', 'Noor Haddad', 'Kenji Sato', 'Olga Ivanova', "Tom O'Brien", 'Ada Lovelace', 'Ravi Kumar', 'Ines Costa', 'Yuki Tanaka', 'Omar Aziz', 'Lena Fischer', 'Marco Rossi', 'Zoe Adams'];

const BRIEF: CallBrief = {
  campaignName: 'Northside Auto',
  agentPrompt: 'You are Sam from Northside Auto. Offer to book the spring service.',
  questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'],
  contact: { name: 'Jo Smith' },
};

/**
 * 1. Instant engines: what the pipeline itself adds beyond the endpoint wait it chose. Three waves
 * of four calls (1.5 s apart), so the figure is the per-turn cost of our code rather than of twelve
 * calls' audio sharing one event loop (scenario 3 measures that).
 */
async function overhead(log: (line: string) => void, callerTts: EspeakTts) {
  log('[1/3] pipeline overhead: 3 waves of 4 simulated calls with instant stub engines…');
  const clock = new PlayoutClock();
  const latencies = [];
  for (let wave = 0; wave < 3; wave++) {
    const run = await runSimulatedCalls({ count: 4, staggerMs: 1_500, personas: ['cooperative', 'backchanneler'], callerTts, tts: new InstantTts(), vad: new InstantVad(), clock, agent: () => new ScriptedFlowAgent(BRIEF) });
    latencies.push(...run.latencies);
  }
  clock.stop();
  const added = latencies.map((l) => l.totalMs - l.endpointTargetMs);
  const stages = stageSummary(latencies);
  const result = { turns: added.length, overheadP50Ms: percentile(added, 0.5), overheadP95Ms: percentile(added, 0.95), overheadMaxMs: added.length ? round(Math.max(...added)) : null, stages };
  log(`      ${result.turns} turns; added beyond the endpoint wait: p50 ${result.overheadP50Ms} ms, p95 ${result.overheadP95Ms} ms (budget ${OVERHEAD_BUDGET_MS} ms)`);
  return result;
}

/**
 * 2. The installed engines (the fixture models here): per-stage p50/p95 and voice-to-voice. Calls
 * run the tiny GGUF through the LLM agent, espeak-ng and Silero. The fixture Whisper model has no
 * trained weights (it hears no words and takes tens of seconds per segment on this CPU), so calls
 * take their words from the reference transcript and Whisper is timed on one second of jfk.wav.
 */
async function installedEngines(log: (line: string) => void, callerTts: EspeakTts, fixtures: string) {
  const whisperPath = join(fixtures, 'models/for-tests-ggml-tiny.en.bin');
  const ggufPath = join(fixtures, 'models/llama-2-tiny-random.gguf');
  const jfkPath = join(fixtures, 'audio/jfk.wav');
  if (!existsSync(whisperPath) || !existsSync(ggufPath) || !existsSync(jfkPath)) {
    log(`[2/3] installed engines: NOT RUN, fixture models missing in ${fixtures}`);
    return { notRun: `fixture models missing in ${fixtures}` };
  }
  log('[2/3] installed engines: tiny GGUF LLM agent, Silero, espeak-ng; 2 simulated calls…');
  const logger = pino({ level: 'silent' });
  const llm = await createLanguageModel({ kind: 'llama-cpp', modelPath: ggufPath, threads: 1, gpu: false, maxConversations: 2, maxReplyTokens: 24, logger });
  const vad = await createSileroVad();
  await warmUp(vad);
  const tts = new EspeakTts();
  const clock = new PlayoutClock();
  try {
    const run = await runSimulatedCalls({
      count: 2,
      staggerMs: 1_000,
      personas: ['cooperative'],
      callerTts,
      tts,
      vad,
      clock,
      agent: () => new LlmAgent(llm, BRIEF, { firstTokenTimeoutMs: 4_000, replyTimeoutMs: 8_000, maxConsecutiveFailures: 3 }),
    });
    const stages = stageSummary(run.latencies);
    log(`      ${stages.turns} turns; voice-to-voice p50 ${stages.voiceToVoice.p50} ms, p95 ${stages.voiceToVoice.p95} ms`);
    for (const [name, s] of Object.entries(stages)) if (typeof s === 'object') log(`      ${name.padEnd(14)} p50 ${s.p50} ms  p95 ${s.p95} ms`);
    log('      timing the fixture Whisper model on 1 s of jfk.wav (no trained weights: slow and wordless)…');
    const stt = await createSpeechToText({ kind: 'whisper', modelPath: whisperPath, threads: 2, gpu: false, logger });
    const second = decodeWav(new Uint8Array(readFileSync(jfkPath))).samples.subarray(0, 16_000);
    const t = performance.now();
    await stt.transcribe(second);
    const whisperFixtureSegmentMs = round(performance.now() - t);
    await stt.dispose();
    log(`      whisper fixture, 1 s segment: ${whisperFixtureSegmentMs} ms`);
    return { engines: { stt: `reference transcript (whisper fixture timed separately)`, llm: llm.name, tts: tts.name, vad: vad.name }, whisperFixtureSegmentMs, ...stages };
  } finally {
    clock.stop();
    await Promise.allSettled([llm.dispose(), vad.dispose(), tts.dispose()]);
  }
}

/** 3. Twenty calls at once through a real engine (launcher, SQLite), scripted agent and espeak-ng. */
async function concurrency(log: (line: string) => void, callerTts: EspeakTts) {
  log(`[3/3] ${CONCURRENT_CALLS} concurrent simulated calls through the engine (scripted agent, espeak-ng, Silero)…`);
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-voice-'));
  const engine = await createEngine({ dataDir: dir, logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
  try {
    await engine.context.voice.runtime.ready();
    const created = await engine.invoke('campaigns.create', { name: BRIEF.campaignName, agentPrompt: BRIEF.agentPrompt, questions: BRIEF.questions });
    if (!created.ok) throw new Error(created.error.message);
    const campaignId = (created.result as { id: string }).id;
    // Callers' lines are synthesized once and shared; do it before measuring the engine's memory.
    for (const persona of PERSONAS.filter((p) => TALKERS.includes(p.id))) {
      for (const reply of [...persona.replies, ...persona.backchannels.map((b) => b.reply)]) for (const part of reply.parts) await synthesizeLine(callerTts, part.text, persona.voice, 8_000);
    }
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    // Calls are placed 150 ms apart, as a dialer paces its lines; all 20 are then live together.
    const calls = [];
    for (let i = 0; i < CONCURRENT_CALLS; i++) {
      calls.push(await engine.context.voice.testCall(campaignId, TALKERS[i % TALKERS.length]!, NAMES[i % NAMES.length]));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const outcomes = await Promise.all(calls.map((c) => c.done as Promise<{ outcome: string }>));
    clearInterval(sampler);
    loop.disable();
    const rows = await engine.context.store.db.selectFrom('call_voice').select(['call_id', 'real_time_factor', 'dropped_frames', 'underruns', 'interruptions']).execute();
    const perCall = rows.map((r) => ({ realTimeFactor: round(r.real_time_factor ?? 0), droppedFrames: r.dropped_frames, underruns: r.underruns }));
    const latencies = await engine.context.voice.calls.latencies({ campaignId });
    const result = {
      concurrentCalls: CONCURRENT_CALLS,
      completed: outcomes.filter((o) => o.outcome === 'completed').length,
      wallSeconds: round((performance.now() - started) / 1000),
      maxRealTimeFactor: round(Math.max(...perCall.map((c) => c.realTimeFactor))),
      droppedFrames: perCall.reduce((sum, c) => sum + c.droppedFrames, 0),
      underruns: perCall.reduce((sum, c) => sum + c.underruns, 0),
      memoryPerCallMb: round((peak - baseline) / CONCURRENT_CALLS / 1_048_576),
      eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
      voiceToVoiceP50Ms: percentile(latencies.map((l) => l.totalMs), 0.5),
      perCall,
    };
    log(`      ${result.completed}/${CONCURRENT_CALLS} completed in ${result.wallSeconds} s; max real-time factor ${result.maxRealTimeFactor}; dropped frames ${result.droppedFrames}; memory per call ${result.memoryPerCallMb} MB (budget ${MEMORY_PER_CALL_BUDGET_MB}); event-loop delay p99 ${result.eventLoopDelayP99Ms} ms`);
    return result;
  } finally {
    await engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  description: 'voice pipeline: overhead with instant engines, installed-engine stage latency, 20 concurrent simulated calls',
  async run({ log }) {
    const callerTts = new EspeakTts({ voice: 'en-gb' });
    const fixtures = resolve(process.cwd(), '../shared/fixtures');
    try {
      const first = await overhead(log, callerTts);
      const second = await installedEngines(log, callerTts, fixtures);
      const third = await concurrency(log, callerTts);
      log('provider failover: an API model answering 500 to every request');
      const failover = await providerFailover(BRIEF, callerTts);
      const stages = 'turns' in second ? second : undefined;
      return {
        overheadP95Ms: first.overheadP95Ms,
        overheadBudgetMs: OVERHEAD_BUDGET_MS,
        voiceToVoiceP50Ms: stages?.voiceToVoice.p50 ?? null,
        stages: stages
          ? { endpoint: stages.endpoint, stt: stages.stt, sttCompute: stages.sttCompute, llmFirstToken: stages.llmFirstToken, ttsFirstChunk: stages.ttsFirstChunk, transport: stages.transport, voiceToVoice: stages.voiceToVoice }
          : null,
        installedEngines: 'engines' in second ? { ...second.engines, whisperFixtureSegmentMs: second.whisperFixtureSegmentMs } : second,
        concurrentCalls: third.concurrentCalls,
        completedCalls: third.completed,
        maxRealTimeFactor: third.maxRealTimeFactor,
        droppedFrames: third.droppedFrames,
        underruns: third.underruns,
        memoryPerCallMb: third.memoryPerCallMb,
        memoryBudgetMb: MEMORY_PER_CALL_BUDGET_MB,
        eventLoopDelayP99Ms: third.eventLoopDelayP99Ms,
        scriptedVoiceToVoiceP50Ms: third.voiceToVoiceP50Ms,
        ...failover,
        overhead: first,
        perCall: third.perCall,
      };
    } finally {
      await callerTts.dispose();
    }
  },
};
